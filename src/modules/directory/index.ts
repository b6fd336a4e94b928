// The directory module's public surface: other modules import only from here.
export { CHOICE_FRAMEWORKS, isChoiceFramework, type ChoiceFramework } from './frameworks.ts'
export {
  listProviders,
  findProviderById,
  mayBeChosen,
  countProvidersByFramework,
  listServiceTypes,
  type Provider,
  type ProviderPage,
} from './providers.service.ts'
export { searchOrigin, type SearchOrigin } from './search-origin.ts'
export { distanceKmBetween } from './geography/nearby.ts'
export { providerListQuery, KM_PER_MILE, RATINGS, SEARCH_RADII_MILES } from './providers.schema.ts'
export type { NearbyOrder } from './providers.queries.ts'
