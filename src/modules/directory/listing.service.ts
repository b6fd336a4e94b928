import {
  AccessDeniedError,
  moduleDb,
  recordAudit,
  scopesOfRole,
  type AnyDb,
  type Identity,
} from '../../platform/index.ts'
import { findProviderById, type Provider } from './providers.service.ts'
import type { DirectoryTables } from './tables.ts'

/** What a provider's own staff keep up to date; everything else on the listing is the regulator's. */
export interface ListingDetails {
  description: string | null
  openingTimes: string | null
  accessibility: string | null
  email: string | null
  url: string | null
}

/**
 * A provider whose listing this person may edit: they are provider staff of the organisation that runs it.
 * Anyone else (another organisation's staff included) is refused, and the refusal is audited.
 */
export async function editableProvider(db: AnyDb, identity: Identity, serviceId: string): Promise<Provider> {
  const provider = await findProviderById(db, serviceId)
  if (!provider) throw new AccessDeniedError('service', serviceId, true)
  if (!scopesOfRole(identity.roles, 'provider-staff').includes(provider.organisation.id)) {
    throw new AccessDeniedError('service', serviceId)
  }
  return provider
}

/** The services of every organisation this person works for, by name. */
export async function listStaffListings(db: AnyDb, identity: Identity) {
  const organisations = scopesOfRole(identity.roles, 'provider-staff')
  if (organisations.length === 0) return []
  return moduleDb<DirectoryTables>(db)
    .selectFrom('directory.services as s')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 's.name', 's.framework', 's.status', 'o.name as organisation'])
    .where('s.organisation_id', 'in', organisations)
    .where('s.unlisted_at', 'is', null)
    .orderBy('s.name')
    .limit(500)
    .execute()
}

/** Saves the staff-maintained fields and audits which of them changed (never their text). */
export async function updateListingDetails(
  db: AnyDb,
  identity: Identity,
  serviceId: string,
  details: ListingDetails,
  facts: { requestId: string; ipHash: string | null },
): Promise<string[]> {
  const provider = await editableProvider(db, identity, serviceId)
  const changed = (Object.keys(details) as (keyof ListingDetails)[]).filter(
    (k) => (provider.details[k] ?? null) !== details[k],
  )
  if (changed.length === 0) return []
  await db.transaction().execute(async (trx) => {
    await moduleDb<DirectoryTables>(trx)
      .updateTable('directory.services')
      .set({
        description: details.description,
        opening_times: details.openingTimes,
        accessibility: details.accessibility,
        email: details.email,
        url: details.url,
      })
      .where('id', '=', serviceId)
      .execute()
    await recordAudit(trx, {
      action: 'provider.details.updated',
      outcome: 'success',
      actorId: identity.personId,
      objectType: 'service',
      objectId: serviceId,
      details: { organisationId: provider.organisation.id, fields: changed },
      ...facts,
    })
  })
  return changed
}
