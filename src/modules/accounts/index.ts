// The accounts module's public surface: other modules import only from here.
export { findAccount, type Mailer, type RequestContext } from './accounts.service.ts'
export { actingContext, requireActingPermission, type ActingContext } from './acting.ts'
export { CONSENT_ACTIONS, type ConsentAction } from './consents.service.ts'
export { grantRoleByEmail, type GrantResult } from './roles.service.ts'
