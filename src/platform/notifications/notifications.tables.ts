import type { Generated, Selectable } from 'kysely'

export type NotificationChannel = 'email'
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed'

export interface NotificationsTable {
  id: Generated<string>
  channel: NotificationChannel
  recipient: string
  /** Our template key, such as `accounts.verify-email`; the text itself is already rendered into subject and body. */
  template: string
  subject: string
  body: string
  reference: string | null
  status: NotificationStatus
  attempts: Generated<number>
  last_error: string | null
  /** The provider's id for the message (GOV.UK Notify's notification id). */
  provider_id: string | null
  created_at: Generated<Date>
  sent_at: Date | null
  /** When the dispatcher may next pick the message up: a retry's backoff, or the lease of one being sent. */
  next_attempt_at: Generated<Date>
}

/** The notifications outbox's tables; its queries see only these. */
export interface NotificationsTables {
  'platform.notifications': NotificationsTable
}

export type NotificationRow = Selectable<NotificationsTable>
