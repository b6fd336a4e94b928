import {
  moduleDb,
  NotFoundError,
  recordAudit,
  type AnyDb,
  type Identity,
  type PersonRef,
} from '../../platform/index.ts'
import { actingContext, requireActingPermission } from '../accounts/index.ts'
import { findProviderById, type Provider } from '../directory/index.ts'
import type { ChoiceTables } from './tables.ts'

/** Request facts for the audit trail. */
export interface RequestFacts {
  requestId: string
  ipHash: string | null
}

function choice(db: AnyDb) {
  return moduleDb<ChoiceTables>(db)
}

/** The shortlist of whoever the signed-in person acts for (themselves, or a person whose champion they are). */
export async function listShortlist(db: AnyDb, identity: Identity, facts: RequestFacts): Promise<Provider[]> {
  const { subjectId, actorId, onBehalfOfId } = actingContext(identity)
  const rows = await choice(db)
    .selectFrom('choice.shortlist_items')
    .select('provider_id')
    .where('person_id', '=', subjectId)
    .orderBy('added_at')
    .execute()
  if (onBehalfOfId) {
    // A champion looking at someone else's choices is a read of their record.
    await recordAudit(db, {
      action: 'record.read',
      outcome: 'success',
      actorId,
      onBehalfOfId,
      objectType: 'shortlist',
      objectId: subjectId,
      ...facts,
    })
  }
  const providers = await Promise.all(rows.map((r) => findProviderById(db, r.provider_id)))
  return providers.filter((p): p is Provider => p !== undefined)
}

/** The provider, and who acts for whom, once the signed-in person may choose in its framework for that person. */
export async function permittedChoice(
  db: AnyDb,
  identity: Identity,
  input: { providerId: string; pageSubjectId: string | undefined },
) {
  const provider = await findProviderById(db, input.providerId)
  if (!provider) throw new NotFoundError('provider')
  const acting = requireActingPermission(identity, {
    framework: provider.framework,
    action: 'choose',
    pageSubjectId: input.pageSubjectId,
  })
  return { provider, acting }
}

/**
 * Adds a provider to the shortlist of the person the page was for. A champion needs live consent covering the
 * provider's Choice Framework and choosing; both of them are in the audit entry.
 */
export async function addToShortlist(
  db: AnyDb,
  identity: Identity,
  input: { providerId: string; pageSubjectId: string | undefined },
  facts: RequestFacts & { now: Date },
): Promise<Provider> {
  const { provider, acting } = await permittedChoice(db, identity, input)
  await db.transaction().execute(async (trx) => {
    const added = await choice(trx)
      .insertInto('choice.shortlist_items')
      .values({ person_id: acting.subjectId, provider_id: provider.id, added_by: acting.actorId, added_at: facts.now })
      .onConflict((oc) => oc.doNothing())
      .returning('provider_id')
      .executeTakeFirst()
    if (!added) return // already on the list
    await recordAudit(trx, {
      action: 'shortlist.added',
      outcome: 'success',
      actorId: acting.actorId,
      onBehalfOfId: acting.onBehalfOfId,
      objectType: 'provider',
      objectId: provider.id,
      details: { framework: provider.framework },
      requestId: facts.requestId,
      ipHash: facts.ipHash,
    })
  })
  return provider
}

export async function removeFromShortlist(
  db: AnyDb,
  identity: Identity,
  input: { providerId: string; pageSubjectId: string | undefined },
  facts: RequestFacts,
): Promise<void> {
  const { provider, acting } = await permittedChoice(db, identity, input)
  await db.transaction().execute(async (trx) => {
    const removed = await choice(trx)
      .deleteFrom('choice.shortlist_items')
      .where('person_id', '=', acting.subjectId)
      .where('provider_id', '=', provider.id)
      .executeTakeFirst()
    if (Number(removed.numDeletedRows) === 0) return
    await recordAudit(trx, {
      action: 'shortlist.removed',
      outcome: 'success',
      actorId: acting.actorId,
      onBehalfOfId: acting.onBehalfOfId,
      objectType: 'provider',
      objectId: provider.id,
      ...facts,
    })
  })
}

/** Data rights: the shortlist is exported, and deleted on erasure. */
export async function exportChoiceData(db: AnyDb, person: PersonRef) {
  return {
    shortlist: await choice(db)
      .selectFrom('choice.shortlist_items')
      .select(['provider_id', 'added_by', 'added_at'])
      .where('person_id', '=', person.id)
      .execute(),
  }
}

export async function eraseChoiceData(trx: AnyDb, person: PersonRef): Promise<number> {
  const r = await choice(trx).deleteFrom('choice.shortlist_items').where('person_id', '=', person.id).executeTakeFirst()
  return Number(r.numDeletedRows)
}
