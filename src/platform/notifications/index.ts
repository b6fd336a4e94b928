// The notifications outbox: modules queue emails in their own transaction; a dispatcher sends them.
export {
  queueEmail,
  deliverQueuedNotifications,
  startNotificationDispatcher,
  InvalidNotificationError,
  NOTIFICATION_DEFAULTS,
  type EmailToQueue,
  type DeliveryOptions,
  type DeliveryReport,
} from './notifications.service.ts'
export { retryDelaySeconds } from '../work-queue.ts'
export { NotificationSendError, type NotificationSender, type OutgoingNotification } from './sender.ts'
export { OutboxOnlySender } from './outbox.sender.ts'
export { NotifySender, parseNotifyApiKey, createNotifyToken, type NotifySenderOptions } from './notify.sender.ts'
export { createNotificationSender } from './sender.factory.ts'
export { registerOutboxPage } from './outbox.routes.ts'
export type { NotificationStatus, NotificationRow } from './notifications.tables.ts'
