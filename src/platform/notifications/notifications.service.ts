import type { Logger } from 'pino'
import { z } from 'zod'
import type { AnyDb } from '../db.ts'
import { DomainError } from '../errors.ts'
import { describeError as describeAnyError, retryDelaySeconds, startPeriodic, withDefaults } from '../work-queue.ts'
import {
  claimDueNotifications,
  insertNotification,
  markNotificationFailed,
  markNotificationForRetry,
  markNotificationSent,
  releaseNotification,
} from './notifications.queries.ts'
import { NotificationSendError, type NotificationSender } from './sender.ts'

/** An email a module wants sent, already written in the recipient's language. */
export interface EmailToQueue {
  to: string
  /** Our template key, `<module>.<what>`, such as `accounts.verify-email`. */
  template: string
  subject: string
  body: string
  /** An identifier of the caller's choosing, with no personal data in it (Notify shows it in its logs). */
  reference?: string | undefined
}

const emailToQueue = z.object({
  to: z.string().trim().pipe(z.email('is not a valid email address').max(254, 'is too long')),
  template: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must look like module.what'),
  subject: z
    .string()
    .trim()
    .min(1, 'is empty')
    .max(200, 'is too long')
    .regex(/^[^\r\n]*$/, 'must be one line'),
  body: z.string().trim().min(1, 'is empty').max(100_000, 'is too long'),
  reference: z.string().trim().min(1).max(100, 'is too long').optional(),
})

/**
 * A message that cannot be queued: a bug in the caller, or an address that slipped past a form's validation. It
 * names the fields, never their values (an email address is personal data and error messages reach the logs).
 */
export class InvalidNotificationError extends DomainError {
  constructor(template: string, problems: string) {
    super(`Cannot queue the "${template}" email: ${problems}`, 422, 'invalid-notification')
    this.name = 'InvalidNotificationError'
  }
}

/**
 * Queues an email in the outbox. Pass the transaction that makes the change the email reports (an account created,
 * a password reset asked for): the message is then queued if and only if that change commits, and the dispatcher
 * sends it afterwards. Throws InvalidNotificationError, which rolls that transaction back, if the message is invalid.
 */
export async function queueEmail(db: AnyDb, email: EmailToQueue): Promise<{ id: string }> {
  const parsed = emailToQueue.safeParse(email)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'email'} ${i.message}`).join('; ')
    throw new InvalidNotificationError(String(email.template), problems)
  }
  const m = parsed.data
  const id = await insertNotification(db, {
    channel: 'email',
    recipient: m.to,
    template: m.template,
    subject: m.subject,
    body: m.body,
    reference: m.reference ?? null,
  })
  return { id }
}

export interface DeliveryOptions {
  /** How many messages one call claims at most. */
  batchSize?: number
  /** After this many attempts a message that still fails is marked failed. */
  maxAttempts?: number
  /** The first retry's delay; each further retry waits twice as long as the one before. */
  backoffSeconds?: number
  /** How long a claimed message stays 'sending' before another dispatcher may take it over (its sender died). */
  leaseSeconds?: number
  log?: Logger | undefined
  /** When aborted, the messages of the batch not yet sent are given back to the queue and the call returns. */
  signal?: AbortSignal | undefined
}

export interface DeliveryReport {
  claimed: number
  sent: number
  retrying: number
  failed: number
  released: number
}

export const NOTIFICATION_DEFAULTS = { batchSize: 50, maxAttempts: 5, backoffSeconds: 60, leaseSeconds: 600 }

/**
 * Sends one batch of due messages. Claiming is one short statement (FOR UPDATE SKIP LOCKED), so any number of
 * dispatchers can run at once and never send the same message twice; sending happens after the claim has committed,
 * so no transaction stays open during a slow network call. Logs ids and outcomes only: never recipients or bodies.
 */
export async function deliverQueuedNotifications(
  db: AnyDb,
  sender: NotificationSender,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const o = withDefaults(NOTIFICATION_DEFAULTS, options)
  const claimed = await claimDueNotifications(db, o.batchSize, o.leaseSeconds)
  const report: DeliveryReport = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0, released: 0 }
  for (const n of claimed) {
    if (options.signal?.aborted) {
      await releaseNotification(db, n.id, n.attempts)
      report.released++
      continue
    }
    const ids = { notificationId: n.id, template: n.template, attempts: n.attempts, sender: sender.name }
    const outcome = await Promise.resolve()
      .then(() => sender.send(n))
      .then(
        (sent) => ({ sent }),
        (err: unknown) => ({ err }),
      )
    if ('err' in outcome) {
      const err = outcome.err
      const permanent = err instanceof NotificationSendError && err.permanent
      const error = describeError(err)
      if (permanent || n.attempts >= o.maxAttempts) {
        await markNotificationFailed(db, n.id, n.attempts, error)
        report.failed++
        o.log?.error({ ...ids, status: 'failed', permanent }, 'notification failed')
      } else {
        const retryInSeconds = retryDelaySeconds(n.attempts, o.backoffSeconds)
        await markNotificationForRetry(db, n.id, n.attempts, error, retryInSeconds)
        report.retrying++
        o.log?.warn({ ...ids, status: 'queued', retryInSeconds }, 'notification not sent; will retry')
      }
      continue
    }
    // Not in the failure path: if recording this throws, the message was still sent and must not be retried as unsent.
    const { providerId } = outcome.sent
    await markNotificationSent(db, n.id, n.attempts, providerId)
    report.sent++
    o.log?.info({ ...ids, providerId, status: 'sent' }, 'notification sent')
  }
  return report
}

/**
 * Runs the dispatcher every `intervalMs` (and straight away again while batches come back full). Returns a stop
 * function that waits for the batch in hand, so the server can close the database safely after it.
 */
export function startNotificationDispatcher(
  db: AnyDb,
  sender: NotificationSender,
  log: Logger,
  intervalMs = 5_000,
  options: Omit<DeliveryOptions, 'log'> = {},
): () => Promise<void> {
  const batchSize = options.batchSize ?? NOTIFICATION_DEFAULTS.batchSize
  return startPeriodic(
    async (signal) => {
      const report = await deliverQueuedNotifications(db, sender, { ...options, batchSize, log, signal })
      return report.claimed === batchSize
    },
    intervalMs,
    (err) => log.error({ err }, 'notification dispatcher failed; will try again'),
  )
}

/** Notify's answers are already worded for the record (status, error and message); other errors get their class. */
function describeError(err: unknown): string {
  return err instanceof NotificationSendError ? err.message.slice(0, 1000) : describeAnyError(err)
}
