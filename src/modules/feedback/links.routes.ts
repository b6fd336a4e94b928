import type { FastifyInstance, FastifyReply } from 'fastify'
import QRCode from 'qrcode'
import {
  auditContextFromRequest,
  fieldErrors,
  idParam,
  NotFoundError,
  type ModuleContext,
} from '../../platform/index.ts'
import { findProviderById } from '../directory/index.ts'
import { giveFeedbackByLink, issueFeedbackLinks, linkState } from './links.service.ts'
import { COMMENT_MAX, giveForm, linksForm } from './links.schema.ts'
import { staffProvider } from './staff.service.ts'
import { FFT_ANSWERS } from './statistics.ts'

const PUBLIC = { access: 'public' } as const
export const STAFF = { access: { roles: ['provider-staff'] as const } }
/** One address may answer 10 times a minute: enough for a family at one computer, not for a script. */
const GIVE_RATE_LIMIT = { max: 10, timeWindow: '1 minute' }
const FORM_RATE_LIMIT = { max: 20, timeWindow: '1 minute' }

const tokenOf = (params: unknown) => String((params as { token?: unknown }).token ?? '')
const translator = (reply: FastifyReply) => reply.locals.t as (key: string) => string

/** The QR code of a link, as an SVG data URI an <img> can show (the CSP allows data: images, not inline SVG styles). */
async function qrCodeOf(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/**
 * Feedback through a provider's public link (issue #6, collection): staff make batches of single-use links with QR
 * codes; anyone holding one answers the FFT question without an account, once.
 */
export async function linkRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  /** A used or expired link gets a page that says so (410: it will not work again), an unknown one the usual 404. */
  const closed = (reply: FastifyReply, state: 'used' | 'expired' | 'unknown') => {
    if (state === 'unknown') throw new NotFoundError()
    return reply.code(410).render('feedback/views/link-closed.njk', { state })
  }
  const giveView = async (reply: FastifyReply, serviceId: string, values: object, errors?: unknown) => {
    const provider = await findProviderById(db, serviceId)
    if (!provider) throw new NotFoundError()
    return reply.render('feedback/views/give.njk', { provider, values, errors, answers: FFT_ANSWERS, COMMENT_MAX })
  }

  app.get('/feedback/give/:token', { config: PUBLIC }, async (req, reply) => {
    const link = await linkState(db, tokenOf(req.params), now())
    return link.state === 'open' ? giveView(reply, link.serviceId, {}) : closed(reply, link.state)
  })

  app.post('/feedback/give/:token', { config: { ...PUBLIC, rateLimit: GIVE_RATE_LIMIT } }, async (req, reply) => {
    const token = tokenOf(req.params)
    const form = giveForm.safeParse(req.body ?? {})
    if (!form.success) {
      const link = await linkState(db, token, now())
      if (link.state !== 'open') return closed(reply, link.state)
      reply.code(400)
      return giveView(reply, link.serviceId, req.body ?? {}, fieldErrors(form.error, translator(reply)))
    }
    const given = await giveFeedbackByLink(db, config.cookieSecret, token, form.data, now())
    return given.state === 'given' ? reply.redirect('/feedback/given', 303) : closed(reply, given.state)
  })

  app.get('/feedback/given', { config: PUBLIC }, async (_req, reply) => reply.render('feedback/views/given.njk'))

  app.get('/providers/:id/feedback-links', { config: STAFF }, async (req, reply) => {
    const provider = await staffProvider(db, req.identity!, idParam(req.params, 'id'))
    return reply.render('feedback/views/links.njk', { provider, values: { count: '10' } })
  })

  app.post(
    '/providers/:id/feedback-links',
    { config: { ...STAFF, rateLimit: FORM_RATE_LIMIT } },
    async (req, reply) => {
      const id = idParam(req.params, 'id')
      const provider = await staffProvider(db, req.identity!, id)
      const form = linksForm.safeParse(req.body ?? {})
      if (!form.success) {
        const errors = fieldErrors(form.error, translator(reply))
        return reply.code(400).render('feedback/views/links.njk', { provider, values: req.body ?? {}, errors })
      }
      const facts = auditContextFromRequest(req, config)
      const issued = await issueFeedbackLinks(db, req.identity!, id, form.data.count, facts, now())
      const links = await Promise.all(
        issued.tokens.map(async (token) => {
          const url = `${config.publicUrl}/feedback/give/${token}`
          return { url, qr: await qrCodeOf(url) }
        }),
      )
      // The tokens exist only in this response: no cache may keep a copy.
      reply.header('cache-control', 'no-store')
      return reply.render('feedback/views/links-made.njk', { provider, links, expiresAt: issued.expiresAt })
    },
  )
}
