import type { ModuleManifest } from '../../platform/index.ts'
import { frameworkRoutes } from './frameworks.routes.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** Finding, comparing and choosing providers across the five Choice Frameworks. */
export const choiceModule: ModuleManifest = {
  name: 'choice',
  dependsOn: ['directory'],
  migrations: {},
  routes: frameworkRoutes,
  locales: { en, cy },
}
