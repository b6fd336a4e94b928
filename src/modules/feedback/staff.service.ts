import { AccessDeniedError, scopesOfRole, type AnyDb, type Identity } from '../../platform/index.ts'
import { findProviderById, type Provider } from '../directory/index.ts'

/**
 * A provider whose feedback this person manages: they are provider staff of the organisation that runs it (the same
 * rule as editing its listing). Another organisation's staff get 403 and an unknown provider 404; both are audited
 * as access.denied by the platform.
 */
export async function staffProvider(db: AnyDb, identity: Identity, serviceId: string): Promise<Provider> {
  const provider = await findProviderById(db, serviceId)
  if (!provider) throw new AccessDeniedError('service', serviceId, true)
  if (!scopesOfRole(identity.roles, 'provider-staff').includes(provider.organisation.id)) {
    throw new AccessDeniedError('service', serviceId)
  }
  return provider
}
