import type { ModuleManifest } from '../../platform/index.ts'
import * as createPeople from './migrations/2026_11_23_1200_accounts_create_people.ts'
import * as createRolesAndConsents from './migrations/2026_11_23_1300_accounts_create_roles_and_consents.ts'
import * as createExternalIdentities from './migrations/2026_11_23_1400_accounts_create_external_identities.ts'
import { accountRoutes } from './accounts.routes.ts'
import { adminRoutes } from './admin.routes.ts'
import { consentRoutes } from './consents.routes.ts'
import { dataRightsRoutes } from './data-rights.routes.ts'
import { eraseAccountsData, exportAccountsData } from './data-rights.service.ts'
import { oneLoginRoutes } from './one-login.routes.ts'
import { registerSessionHooks } from './session.hooks.ts'
import { commissioningBodyScope, neighbourhoodCouncilScope } from './scopes.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** People, sign-in, sessions, roles and their scopes, consent for choice champions, and data rights. */
export const accountsModule: ModuleManifest = {
  name: 'accounts',
  dependsOn: [],
  migrations: {
    '2026_11_23_1200_accounts_create_people': createPeople,
    '2026_11_23_1300_accounts_create_roles_and_consents': createRolesAndConsents,
    '2026_11_23_1400_accounts_create_external_identities': createExternalIdentities,
  },
  requestHooks: registerSessionHooks,
  routes: async (app, ctx) => {
    // Before the other pages, so the sign-in page knows to offer One Login; only when ONE_LOGIN_* is set.
    if (ctx.config.oneLogin) await oneLoginRoutes(app, ctx)
    await accountRoutes(app, ctx)
    await consentRoutes(app, ctx)
    await adminRoutes(app, ctx)
    await dataRightsRoutes(app, ctx)
  },
  locales: { en, cy },
  scopeTypes: [commissioningBodyScope, neighbourhoodCouncilScope],
  exportPersonalData: exportAccountsData,
  erasePersonalData: eraseAccountsData,
}
