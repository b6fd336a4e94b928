import { moduleDb, type AnyDb } from './db.ts'
import { listAuditEntriesAbout } from './audit/audit.ts'
import type { PersonRef } from './module.ts'
import type { NotificationsTables } from './notifications/notifications.tables.ts'

/**
 * The platform's part of a data-subject export: what the audit trail records the person doing or having done for
 * them, and the messages sent to their address (subjects and dates; bodies held links that no longer work).
 */
export async function exportPlatformData(db: AnyDb, person: PersonRef) {
  const messages = await moduleDb<NotificationsTables>(db)
    .selectFrom('platform.notifications')
    .select(['subject', 'status', 'created_at', 'sent_at'])
    .where('recipient', '=', person.email)
    .orderBy('created_at')
    .execute()
  return {
    auditTrail: {
      actionsByYou: await listAuditEntriesAbout(db, person.id, 'actor'),
      actionsForYou: await listAuditEntriesAbout(db, person.id, 'onBehalfOf'),
    },
    messages,
  }
}

/**
 * Erasure: messages not yet sent are deleted; sent ones are kept for delivery statistics with the address and
 * body removed. The audit trail is kept as it is: it holds only ids, which lead to no one once the account is gone.
 */
export async function erasePlatformData(trx: AnyDb, person: PersonRef): Promise<number> {
  const db = moduleDb<NotificationsTables>(trx)
  const deleted = await db
    .deleteFrom('platform.notifications')
    .where('recipient', '=', person.email)
    .where('status', 'in', ['queued', 'failed'])
    .executeTakeFirst()
  const anonymised = await db
    .updateTable('platform.notifications')
    .set({ recipient: 'erased', body: '' })
    .where('recipient', '=', person.email)
    .executeTakeFirst()
  return Number(deleted.numDeletedRows) + Number(anonymised.numUpdatedRows)
}
