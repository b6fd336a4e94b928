// The directory module's public surface: other modules import only from here.
export { CHOICE_FRAMEWORKS, isChoiceFramework, type ChoiceFramework } from './frameworks.ts'
export {
  listProviders,
  findProviderById,
  mayBeChosen,
  countProvidersByFramework,
  type Provider,
  type ProviderPage,
} from './providers.service.ts'
