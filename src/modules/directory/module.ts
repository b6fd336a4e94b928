import type { ModuleManifest } from '../../platform/index.ts'
import * as createProviders from './migrations/2026_11_23_1000_directory_create_providers.ts'
import * as createGeography from './migrations/2026_11_23_1600_directory_create_geography.ts'
import * as createSchoolPerformance from './migrations/2026_11_23_1610_directory_create_school_performance.ts'
import * as createSchoolLinks from './migrations/2026_11_23_1620_directory_create_school_links.ts'
import * as createServiceModel from './migrations/2026_11_23_1700_directory_create_service_model.ts'
import * as indexLocations from './migrations/2026_11_23_1710_directory_index_locations.ts'
import * as indexOrganisationIdentifiers from './migrations/2026_11_23_1730_directory_index_organisation_identifiers.ts'
import * as indexListedServices from './migrations/2026_11_23_1740_directory_index_listed_services.ts'
import * as oneCqcRegister from './migrations/2026_11_23_1750_directory_one_cqc_register.ts'
import * as locationAddressSource from './migrations/2026_11_23_1800_directory_location_address_source.ts'
import { imd2019Source, onspdSource, outcodesSource } from './geography/index.ts'
import { dfeCensusSource } from './performance/census.import.ts'
import { dfeKs4Source } from './performance/ks4.import.ts'
import { dfeKs5Source } from './performance/ks5.import.ts'
import { cqcDirectorySource, cqcLocationsSource } from './import/cqc-sources.ts'
import { giasLinksSource } from './import/gias-links.ts'
import { providerRoutes } from './providers.routes.ts'
import { listingRoutes } from './listing.routes.ts'
import { orukRoutes } from './oruk/oruk.routes.ts'
import { openDataRoutes } from './oruk/open-data.routes.ts'
import { demoProvidersSeed } from './seeds/demo-seed.ts'
import { giasSource, odsEpraccurSource, ofstedChildcareSource } from './import/provider-sources.ts'
import { organisationScope, regulatorScope } from './scopes.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** Providers, their locations and regulator ratings, loaded from regulators' open data. */
export const directoryModule: ModuleManifest = {
  name: 'directory',
  dependsOn: [],
  migrations: {
    '2026_11_23_1000_directory_create_providers': createProviders,
    '2026_11_23_1600_directory_create_geography': createGeography,
    '2026_11_23_1610_directory_create_school_performance': createSchoolPerformance,
    '2026_11_23_1620_directory_create_school_links': createSchoolLinks,
    '2026_11_23_1700_directory_create_service_model': createServiceModel,
    '2026_11_23_1710_directory_index_locations': indexLocations,
    '2026_11_23_1730_directory_index_organisation_identifiers': indexOrganisationIdentifiers,
    '2026_11_23_1740_directory_index_listed_services': indexListedServices,
    '2026_11_23_1750_directory_one_cqc_register': oneCqcRegister,
    '2026_11_23_1800_directory_location_address_source': locationAddressSource,
  },
  routes: async (app, ctx) => {
    await providerRoutes(app, ctx)
    await listingRoutes(app, ctx)
    await orukRoutes(app, ctx)
    await openDataRoutes(app, ctx)
  },
  locales: { en, cy },
  seeds: [demoProvidersSeed],
  scopeTypes: [organisationScope, regulatorScope],
  importSources: [
    odsEpraccurSource,
    giasSource,
    ofstedChildcareSource,
    onspdSource,
    outcodesSource,
    imd2019Source,
    dfeKs4Source,
    dfeKs5Source,
    dfeCensusSource,
    cqcDirectorySource,
    cqcLocationsSource,
    giasLinksSource,
  ],
}
