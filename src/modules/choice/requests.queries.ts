import type { Selectable } from 'kysely'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { ChoiceTables, RequestStatus } from './tables.ts'

export type RequestRow = Selectable<ChoiceTables['choice.requests']>
export type NewRequestRow = Omit<
  ChoiceTables['choice.requests'],
  'id' | 'answered_at' | 'decline_reason' | 'answer_note'
>

function choice(db: AnyDb) {
  return moduleDb<ChoiceTables>(db)
}

const REQUEST_COLUMNS = [
  'id',
  'person_id',
  'made_by',
  'service_id',
  'organisation_id',
  'framework',
  'kind',
  'message',
  'status',
  'made_at',
  'due_at',
  'answered_at',
  'decline_reason',
  'answer_note',
  'submission_key',
] as const

/** Inserts a request unless the same form was sent before or one to this provider is open (then undefined). */
export async function insertRequest(db: AnyDb, row: NewRequestRow): Promise<RequestRow | undefined> {
  return choice(db)
    .insertInto('choice.requests')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning(REQUEST_COLUMNS)
    .executeTakeFirst()
}

export async function selectRequestBySubmission(db: AnyDb, personId: string, submissionKey: string) {
  return choice(db)
    .selectFrom('choice.requests')
    .select(REQUEST_COLUMNS)
    .where('person_id', '=', personId)
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst()
}

export async function selectOpenRequest(db: AnyDb, personId: string, serviceId: string) {
  return choice(db)
    .selectFrom('choice.requests')
    .select(REQUEST_COLUMNS)
    .where('person_id', '=', personId)
    .where('service_id', '=', serviceId)
    .where('status', '=', 'sent')
    .executeTakeFirst()
}

/** One request; `forUpdate` locks it for the rest of the caller's transaction (two answers cannot both win). */
export async function selectRequest(db: AnyDb, id: string, forUpdate = false): Promise<RequestRow | undefined> {
  const query = choice(db).selectFrom('choice.requests').select(REQUEST_COLUMNS).where('id', '=', id)
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst()
}

export async function selectRequestsOfPerson(db: AnyDb, personId: string): Promise<RequestRow[]> {
  return choice(db)
    .selectFrom('choice.requests')
    .select(REQUEST_COLUMNS)
    .where('person_id', '=', personId)
    .orderBy('made_at', 'desc')
    .limit(200)
    .execute()
}

export async function selectRequestsToOrganisations(
  db: AnyDb,
  organisationIds: readonly string[],
  statuses: readonly RequestStatus[],
): Promise<RequestRow[]> {
  if (organisationIds.length === 0) return []
  return choice(db)
    .selectFrom('choice.requests')
    .select(REQUEST_COLUMNS)
    .where('organisation_id', 'in', organisationIds)
    .where('status', 'in', statuses)
    .orderBy('made_at', 'desc')
    .limit(200)
    .execute()
}

/** Requests past their deadline with no answer, oldest first, locked; other workers skip the ones locked here. */
export async function selectOverdueRequests(db: AnyDb, now: Date, limit: number): Promise<RequestRow[]> {
  return choice(db)
    .selectFrom('choice.requests')
    .select(REQUEST_COLUMNS)
    .where('status', '=', 'sent')
    .where('due_at', '<', now)
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export async function updateRequestStatus(
  db: AnyDb,
  id: string,
  change: { status: RequestStatus; answered_at?: Date; decline_reason?: string | null; answer_note?: string | null },
): Promise<void> {
  await choice(db).updateTable('choice.requests').set(change).where('id', '=', id).execute()
}

export async function insertHistory(db: AnyDb, row: Omit<ChoiceTables['choice.request_history'], 'id'>) {
  await choice(db).insertInto('choice.request_history').values(row).execute()
}

export async function selectHistory(db: AnyDb, requestId: string) {
  return choice(db)
    .selectFrom('choice.request_history')
    .select(['status', 'changed_at', 'actor_id', 'on_behalf_of_id'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute()
}

/**
 * Per service, over requests made since `since`: how many were decided (answered, or their deadline passed with no
 * answer) and how many of those were answered by their deadline. Withdrawn and still-open requests are left out.
 */
export async function selectResponseCounts(db: AnyDb, serviceIds: readonly string[], since: Date) {
  if (serviceIds.length === 0) return []
  const { fn } = choice(db)
  return choice(db)
    .selectFrom('choice.requests')
    .select((eb) => [
      'service_id',
      fn.countAll<string>().as('decided'),
      fn
        .countAll<string>()
        .filterWhere((w) =>
          w.and([w('status', 'in', ['accepted', 'declined']), w('answered_at', '<=', eb.ref('due_at'))]),
        )
        .as('on_time'),
    ])
    .where('service_id', 'in', serviceIds)
    .where('made_at', '>=', since)
    .where('status', 'in', ['accepted', 'declined', 'not-answered'])
    .groupBy('service_id')
    .execute()
}

/** Data rights: a person's requests, and their erasure (kept, without who or what they wrote, for the figures). */
export async function selectRequestsForExport(db: AnyDb, personId: string) {
  return choice(db)
    .selectFrom('choice.requests')
    .select(['id', 'service_id', 'framework', 'kind', 'message', 'status', 'made_at', 'due_at', 'answered_at'])
    .where('person_id', '=', personId)
    .execute()
}

export async function anonymiseRequestsOf(db: AnyDb, personId: string, now: Date): Promise<number> {
  const c = choice(db)
  // An open request can no longer be answered to anyone: it is withdrawn first, as the person would have done.
  const open = await c
    .updateTable('choice.requests')
    .set({ status: 'withdrawn' })
    .where('person_id', '=', personId)
    .where('status', '=', 'sent')
    .returning('id')
    .execute()
  for (const r of open)
    await insertHistory(db, {
      request_id: r.id,
      status: 'withdrawn',
      changed_at: now,
      actor_id: null,
      on_behalf_of_id: null,
    })
  await c.updateTable('choice.request_history').set({ actor_id: null }).where('actor_id', '=', personId).execute()
  await c
    .updateTable('choice.request_history')
    .set({ on_behalf_of_id: null })
    .where('on_behalf_of_id', '=', personId)
    .execute()
  await c.updateTable('choice.requests').set({ made_by: null }).where('made_by', '=', personId).execute()
  const r = await c
    .updateTable('choice.requests')
    .set({ person_id: null, message: null })
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
