import { ConfigError, type Config } from '../config.ts'
import type { NotificationSender } from './sender.ts'
import { NotifySender } from './notify.sender.ts'
import { OutboxOnlySender } from './outbox.sender.ts'

/**
 * The one place that chooses how messages leave: GOV.UK Notify when NOTIFY_API_KEY is set, otherwise the outbox
 * only. A production service must really send its emails (people cannot verify an address or reset a password
 * otherwise), so without Notify it refuses to start. The check is here rather than in loadConfig so that one-off
 * commands that send nothing (`openchoice migrate`, `seed`) do not need the Notify secret.
 */
export function createNotificationSender(config: Config): NotificationSender {
  if (config.notify) return new NotifySender(config.notify)
  if (config.env === 'production') {
    throw new ConfigError('NOTIFY_API_KEY (and NOTIFY_TEMPLATE_ID) are required in production: emails must be sent')
  }
  return new OutboxOnlySender()
}
