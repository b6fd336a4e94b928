import type { ModuleManifest } from '../../platform/index.ts'
import * as createPeople from './migrations/2026_11_23_1200_accounts_create_people.ts'
import { accountRoutes } from './accounts.routes.ts'
import { registerSessionHooks } from './session.hooks.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** People, sign-in, sessions and (next) roles, consent for choice champions and data rights. */
export const accountsModule: ModuleManifest = {
  name: 'accounts',
  dependsOn: [],
  migrations: {
    '2026_11_23_1200_accounts_create_people': createPeople,
  },
  requestHooks: registerSessionHooks,
  routes: accountRoutes,
  locales: { en, cy },
}
