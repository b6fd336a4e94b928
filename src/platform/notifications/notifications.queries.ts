import { sql } from 'kysely'
import { moduleDb, type AnyDb } from '../db.ts'
import type { NotificationRow, NotificationsTables } from './notifications.tables.ts'
import type { OutgoingNotification } from './sender.ts'

/** A claimed message, as the dispatcher hands it to a sender. */
export type ClaimedNotificationRow = OutgoingNotification & Pick<NotificationRow, 'attempts'>

export type NewNotificationRow = Omit<OutgoingNotification, 'id'>

export async function insertNotification(db: AnyDb, row: NewNotificationRow): Promise<string> {
  const { id } = await moduleDb<NotificationsTables>(db)
    .insertInto('platform.notifications')
    .values({ ...row, status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Claims up to `limit` due messages in one statement: queued ones whose backoff has passed, and ones left in
 * 'sending' past their lease (a dispatcher that died mid-send). `FOR UPDATE SKIP LOCKED` lets several dispatchers
 * claim at once without waiting for, or taking, each other's rows; a row another dispatcher claimed since this
 * statement's snapshot is re-checked against the WHERE clause, and its lease (next_attempt_at in the future) excludes it.
 * Counting the attempt here means a message that crashes its dispatcher every time still reaches 'failed'.
 */
export async function claimDueNotifications(
  db: AnyDb,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedNotificationRow[]> {
  const { rows } = await sql<ClaimedNotificationRow>`
    update platform.notifications as n
       set status = 'sending',
           attempts = n.attempts + 1,
           next_attempt_at = now() + ${leaseSeconds}::float8 * interval '1 second'
     where n.id in (
             select id
               from platform.notifications
              where status in ('queued', 'sending')
                and next_attempt_at <= now()
              order by next_attempt_at, created_at
              limit ${limit}
                for update skip locked)
    returning n.id, n.channel, n.recipient, n.template, n.subject, n.body, n.reference, n.attempts`.execute(db)
  return rows
}

/** The guard on every outcome: only the dispatcher that holds this claim (same attempt) may record it. */
function claimed(db: AnyDb, id: string, attempts: number) {
  return moduleDb<NotificationsTables>(db)
    .updateTable('platform.notifications')
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('attempts', '=', attempts)
}

export async function markNotificationSent(db: AnyDb, id: string, attempts: number, providerId: string) {
  await claimed(db, id, attempts)
    .set({ status: 'sent', provider_id: providerId, sent_at: sql`now()`, last_error: null })
    .execute()
}

export async function markNotificationForRetry(
  db: AnyDb,
  id: string,
  attempts: number,
  error: string,
  delaySeconds: number,
) {
  await claimed(db, id, attempts)
    .set({
      status: 'queued',
      last_error: error,
      next_attempt_at: sql`now() + ${delaySeconds}::float8 * interval '1 second'`,
    })
    .execute()
}

export async function markNotificationFailed(db: AnyDb, id: string, attempts: number, error: string) {
  await claimed(db, id, attempts).set({ status: 'failed', last_error: error }).execute()
}

/** Gives back a claimed message unsent (the dispatcher is stopping): due again at once, the attempt not counted. */
export async function releaseNotification(db: AnyDb, id: string, attempts: number) {
  await claimed(db, id, attempts)
    .set({ status: 'queued', attempts: attempts - 1, next_attempt_at: sql`now()` })
    .execute()
}

/** The newest messages first, for the development outbox page. */
export async function selectLatestNotifications(db: AnyDb, limit: number): Promise<NotificationRow[]> {
  return moduleDb<NotificationsTables>(db)
    .selectFrom('platform.notifications')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
