import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  auditContextFromRequest,
  fieldErrors,
  formError,
  idParam,
  scopesOfRole,
  type ModuleContext,
} from '../../platform/index.ts'
import { monthAbbr, monthName, positiveChart } from './chart.ts'
import { replyForm } from './comments.schema.ts'
import { replyToComment } from './comments.service.ts'
import { providerFeedback } from './provider-feedback.service.ts'

type T = (key: string, params?: Record<string, string | number>) => string
const STAFF = { access: { roles: ['provider-staff'] as const }, rateLimit: { max: 20, timeWindow: '1 minute' } }

/** A provider's public feedback page, and its staff's public replies to published comments. */
export async function providerFeedbackRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  async function render(req: FastifyRequest, reply: FastifyReply, id: string, extra: object = {}) {
    const page = await providerFeedback(db, id, now())
    const staffOf = req.identity ? scopesOfRole(req.identity.roles, 'provider-staff') : []
    return reply.render('feedback/views/provider-feedback.njk', {
      ...page,
      chart: positiveChart(page.months),
      monthName,
      monthAbbr,
      canReply: staffOf.includes(page.provider.organisation.id),
      replied: (req.query as { replied?: unknown }).replied === '1',
      values: {},
      ...extra,
    })
  }

  app.get('/providers/:id/feedback', { config: { access: 'public' } }, async (req, reply) =>
    render(req, reply, idParam(req.params, 'id')),
  )

  app.post('/providers/:id/feedback/comments/:commentId/reply', { config: STAFF }, async (req, reply) => {
    const id = idParam(req.params, 'id')
    const commentId = idParam(req.params, 'commentId')
    const t = reply.locals.t as T
    const form = replyForm.safeParse(req.body ?? {})
    const field = `reply-${commentId}`
    if (!form.success) {
      const errors = fieldErrors(form.error, t)
      return render(req, reply.code(400), id, { errors: formError(field, errors[0]!.text), values: { commentId } })
    }
    const facts = { ...auditContextFromRequest(req, config), now: now() }
    const result = await replyToComment(db, req.identity!, id, commentId, form.data.body, facts)
    if (!result.ok) {
      const errors = formError(field, t('feedback.figures.comments.errors.alreadyReplied'))
      return render(req, reply.code(409), id, { errors })
    }
    return reply.redirect(`/providers/${id}/feedback?replied=1#comment-${commentId}`, 303)
  })
}
