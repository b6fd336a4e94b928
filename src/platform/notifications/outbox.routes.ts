import type { FastifyInstance } from 'fastify'
import type { ModuleContext } from '../module.ts'
import { NotFoundError } from '../errors.ts'
import type { NotificationStatus } from './notifications.tables.ts'
import { selectLatestNotifications } from './notifications.queries.ts'

const OUTBOX_PAGE_SIZE = 50

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.')
}

const TAG_CLASSES: Record<NotificationStatus, string> = {
  queued: 'govuk-tag--grey',
  sending: 'govuk-tag--blue',
  sent: 'govuk-tag--green',
  failed: 'govuk-tag--red',
}

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'medium',
  timeZone: 'Europe/London',
})

/**
 * The development outbox: the latest messages the service has queued, so a developer can follow an email link
 * without a real inbox. It shows personal data to anyone who can reach it, so it does not exist in production:
 * the route is not even registered there, and /dev/outbox is a 404. Elsewhere it answers only this machine.
 */
export async function registerOutboxPage(
  app: FastifyInstance,
  ctx: Pick<ModuleContext, 'db' | 'config'>,
): Promise<void> {
  if (ctx.config.env === 'production') return
  app.get('/dev/outbox', { config: { access: 'public' } }, async (req, reply) => {
    // A server someone forgot to mark as production must still not show emails to the world: only this machine.
    if (!isLoopback(req.ip)) throw new NotFoundError()
    const rows = await selectLatestNotifications(ctx.db, OUTBOX_PAGE_SIZE)
    const messages = rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      template: r.template,
      subject: r.subject,
      body: r.body,
      status: r.status,
      tagClass: TAG_CLASSES[r.status],
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: timeFormat.format(new Date(r.created_at)),
      sentAt: r.sent_at ? timeFormat.format(new Date(r.sent_at)) : null,
    }))
    reply.header('cache-control', 'no-store')
    return reply.render('pages/outbox.njk', {
      messages,
      pageSize: OUTBOX_PAGE_SIZE,
      sender: ctx.config.notify ? 'notify' : 'outbox',
    })
  })
}
