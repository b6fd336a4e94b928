import type { NotificationRow } from './notifications.tables.ts'

/** One message as a sender sees it: already rendered, in the recipient's language. */
export type OutgoingNotification = Pick<
  NotificationRow,
  'id' | 'channel' | 'recipient' | 'template' | 'subject' | 'body' | 'reference'
>

/** Delivers messages from the outbox to the outside world; the dispatcher records the outcome. */
export interface NotificationSender {
  /** Safe to log: which sender is in use. */
  readonly name: string
  /** Resolves with the provider's id for the message; throws NotificationSendError (or anything, read as retryable). */
  send(n: OutgoingNotification): Promise<{ providerId: string }>
}

/**
 * A delivery that did not happen. `permanent` means trying again cannot help (the provider rejected the message),
 * so the dispatcher marks it failed at once; otherwise it retries with backoff. The message must not hold personal data.
 */
export class NotificationSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message)
    this.name = 'NotificationSendError'
  }
}
