// The accounts module's public surface: other modules import only from here.
export { findAccount } from './accounts.service.ts'
