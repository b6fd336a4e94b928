import { sql } from 'kysely'
import { moduleDb, type AnyDb } from '../db.ts'
import type { JobsTables } from './jobs.tables.ts'

// Every time is the caller's clock (JobContext.now), not the database's, so tests can move time on.

const jobsDb = (db: AnyDb) => moduleDb<JobsTables>(db)
const seconds = (n: number) => sql`${n}::float8 * interval '1 second'`

export interface NewEvent {
  type: string
  payload: Record<string, unknown>
  key: string | null
  occurredAt: Date
}

/** Inserts an event; undefined when its key is already taken. */
export async function insertEvent(db: AnyDb, e: NewEvent): Promise<string | undefined> {
  const row = await jobsDb(db)
    .insertInto('platform.events')
    .values({ type: e.type, payload: JSON.stringify(e.payload), key: e.key, occurred_at: e.occurredAt })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export async function selectEventIdByKey(db: AnyDb, key: string): Promise<string> {
  const row = await jobsDb(db)
    .selectFrom('platform.events')
    .select('id')
    .where('key', '=', key)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A handler as the queries need it: its name and the type of event it takes. */
export interface HandlerRef {
  name: string
  eventType: string
}

/**
 * Records the handlers this process runs. One seen for the first time (or now taking another type) gets a delivery of
 * every event of its type published so far: at least once means from the first event, even if its module came later.
 */
export async function registerHandlers(db: AnyDb, handlers: HandlerRef[], now: Date): Promise<void> {
  if (!handlers.length) return
  await sql`
    with registered as (
      insert into platform.event_handlers (name, event_type, registered_at)
      select name, event_type, ${now}::timestamptz
        from unnest(${handlers.map((h) => h.name)}::text[], ${handlers.map((h) => h.eventType)}::text[])
             as h(name, event_type)
      on conflict (name) do update set event_type = excluded.event_type, registered_at = excluded.registered_at
       where platform.event_handlers.event_type <> excluded.event_type
      returning name, event_type)
    insert into platform.event_deliveries (event_id, handler, status, attempts, run_after)
    select e.id, r.name, 'pending', 0, ${now}::timestamptz
      from registered r join platform.events e on e.type = r.event_type
    on conflict do nothing`.execute(db)
}

/**
 * Fans out up to `limit` new events: one pending delivery per handler of the event's type, then marks them
 * dispatched, in one statement. SKIP LOCKED lets several workers fan out different events at once. Returns how many
 * events it took.
 */
export async function dispatchEvents(db: AnyDb, handlers: HandlerRef[], now: Date, limit: number): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    with batch as (
      select id, type
        from platform.events
       where dispatched_at is null
       order by occurred_at
       limit ${limit}
         for update skip locked),
    fanned as (
      insert into platform.event_deliveries (event_id, handler, status, attempts, run_after)
      select b.id, h.name, 'pending', 0, ${now}::timestamptz
        from batch b
        join unnest(${handlers.map((h) => h.name)}::text[], ${handlers.map((h) => h.eventType)}::text[])
             as h(name, event_type) on h.event_type = b.type
      on conflict do nothing)
    update platform.events e
       set dispatched_at = ${now}::timestamptz
      from batch b
     where e.id = b.id
    returning e.id`.execute(db)
  return rows.length
}

/** A delivery claimed by this worker, with its event. */
export interface ClaimedDelivery {
  event_id: string
  handler: string
  attempts: number
  type: string
  payload: Record<string, unknown>
  occurred_at: Date
}

/**
 * Claims up to `limit` due deliveries to the named handlers: pending ones whose backoff has passed, and running ones
 * whose lease has run out (their worker died). As in the notifications outbox (claimDueNotifications), the claim is
 * one short statement with FOR UPDATE SKIP LOCKED, the attempt is counted here, and a lease keeps other workers off.
 */
export async function claimDueDeliveries(
  db: AnyDb,
  handlers: string[],
  o: { now: Date; limit: number; leaseSeconds: number; maxAttempts: number },
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    update platform.event_deliveries as d
       set status = 'running',
           attempts = d.attempts + 1,
           run_after = ${o.now}::timestamptz + ${seconds(o.leaseSeconds)}
      from platform.events e
     where e.id = d.event_id
       and (d.event_id, d.handler) in (
             select event_id, handler
               from platform.event_deliveries
              where status in ('pending', 'running')
                and run_after <= ${o.now}::timestamptz
                and attempts < ${o.maxAttempts}
                and handler = any(${handlers}::text[])
              order by run_after
              limit ${o.limit}
                for update skip locked)
    returning d.event_id, d.handler, d.attempts, e.type, e.payload, e.occurred_at`.execute(db)
  return rows
}

/** Running deliveries whose lease ran out on their last attempt (the worker died every time) are given up. */
export async function failAbandonedDeliveries(db: AnyDb, now: Date, maxAttempts: number): Promise<number> {
  const result = await jobsDb(db)
    .updateTable('platform.event_deliveries')
    .set({ status: 'failed', last_error: 'Abandoned: the worker stopped before the handler finished' })
    .where('status', '=', 'running')
    .where('run_after', '<=', now)
    .where('attempts', '>=', maxAttempts)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

type DeliveryRef = Pick<ClaimedDelivery, 'event_id' | 'handler' | 'attempts'>

/** The guard on every outcome: only the worker that holds this claim (same attempt) may record it. */
function claimed(db: AnyDb, d: DeliveryRef) {
  return jobsDb(db)
    .updateTable('platform.event_deliveries')
    .where('event_id', '=', d.event_id)
    .where('handler', '=', d.handler)
    .where('status', '=', 'running')
    .where('attempts', '=', d.attempts)
}

/** Marks the delivery done; false when this worker's claim was taken over meanwhile. */
export async function markDeliveryDone(db: AnyDb, d: DeliveryRef, now: Date): Promise<boolean> {
  const result = await claimed(db, d).set({ status: 'done', done_at: now, last_error: null }).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function markDeliveryForRetry(db: AnyDb, d: DeliveryRef, error: string, runAfter: Date): Promise<void> {
  await claimed(db, d).set({ status: 'pending', last_error: error, run_after: runAfter }).execute()
}

export async function markDeliveryFailed(db: AnyDb, d: DeliveryRef, error: string): Promise<void> {
  await claimed(db, d).set({ status: 'failed', last_error: error }).execute()
}

/** Gives back a claimed delivery not yet run (the worker is stopping): due again at once, the attempt not counted. */
export async function releaseDelivery(db: AnyDb, d: DeliveryRef, now: Date): Promise<void> {
  await claimed(db, d)
    .set({ status: 'pending', attempts: d.attempts - 1, run_after: now })
    .execute()
}

export async function registerScheduledJobs(db: AnyDb, names: string[]): Promise<void> {
  if (!names.length) return
  await jobsDb(db)
    .insertInto('platform.scheduled_jobs')
    .values(names.map((name) => ({ name })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

/**
 * Claims a scheduled job's run if it is due (never run, or last started `everySeconds` ago or more) by recording its
 * start. The row's lock makes a second worker wait and then see the new start, so only one of them runs it.
 */
export async function claimScheduledRun(db: AnyDb, name: string, everySeconds: number, now: Date): Promise<boolean> {
  const result = await jobsDb(db)
    .updateTable('platform.scheduled_jobs')
    .set({ last_started_at: now })
    .where('name', '=', name)
    .where((eb) =>
      eb.or([
        eb('last_started_at', 'is', null),
        eb('last_started_at', '<=', sql<Date>`${now}::timestamptz - ${seconds(everySeconds)}`),
      ]),
    )
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function recordScheduledRunEnd(db: AnyDb, name: string, now: Date, error: string | null): Promise<void> {
  await jobsDb(db)
    .updateTable('platform.scheduled_jobs')
    .set({ last_finished_at: now, last_error: error })
    .where('name', '=', name)
    .execute()
}
