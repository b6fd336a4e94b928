import type { NotificationSender, OutgoingNotification } from './sender.ts'

/**
 * For development and tests: sends nothing outside the service. Each message is "delivered to the outbox", where
 * the development outbox page (/dev/outbox) shows it.
 */
export class OutboxOnlySender implements NotificationSender {
  readonly name = 'outbox'

  async send(n: OutgoingNotification): Promise<{ providerId: string }> {
    return { providerId: `outbox-${n.id}` }
  }
}
