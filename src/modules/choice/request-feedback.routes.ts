import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  auditContextFromRequest,
  fieldErrors,
  idParam,
  NotFoundError,
  type ModuleContext,
} from '../../platform/index.ts'
import { requireActingPermission } from '../accounts/index.ts'
import { findProviderById } from '../directory/index.ts'
import { COMMENT_MAX, FFT_ANSWERS, GIVE_FEEDBACK_VIEW, giveForm, recordResponse } from '../feedback/index.ts'
import { myChoice } from './requests.views.ts'

const SIGNED_IN = { access: 'signed-in' as const }
const FORM_RATE_LIMIT = { max: 20, timeWindow: '1 minute' }

/**
 * The feedback prompt after a choice is fulfilled: once a provider accepts a request, the person (or their champion,
 * with consent to give feedback) answers the Friends and Family Test question about it, once a month at most.
 */
export async function requestFeedbackRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  /** The accepted request and its provider; any other request has no feedback page. */
  async function fulfilled(req: FastifyRequest) {
    const { request } = await myChoice(
      db,
      req.identity!,
      idParam(req.params, 'id'),
      auditContextFromRequest(req, config),
    )
    const provider = request.provider && (await findProviderById(db, request.provider.id))
    if (request.status !== 'accepted' || !provider) throw new NotFoundError('request')
    const acting = requireActingPermission(req.identity!, { framework: provider.framework, action: 'feedback' })
    return { request, provider, acting }
  }

  const render = (reply: FastifyReply, provider: unknown, values: object, errors?: unknown) =>
    reply.render(GIVE_FEEDBACK_VIEW, { provider, values, errors, answers: FFT_ANSWERS, COMMENT_MAX })

  app.get('/my-choices/:id/feedback', { config: SIGNED_IN }, async (req, reply) => {
    const { provider } = await fulfilled(req)
    return render(reply, provider, {})
  })

  app.post('/my-choices/:id/feedback', { config: { ...SIGNED_IN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const { request, provider, acting } = await fulfilled(req)
    const form = giveForm.safeParse(req.body ?? {})
    if (!form.success) {
      return render(
        reply.code(400),
        provider,
        req.body ?? {},
        fieldErrors(form.error, reply.locals.t as (k: string) => string),
      )
    }
    const given = await recordResponse(db, config.cookieSecret, {
      serviceId: provider.id,
      respondent: `person:${acting.subjectId}`,
      answer: form.data.answer,
      mode: 'online',
      comment: form.data.comment,
      at: now(),
    })
    return reply.redirect(`/my-choices/${request.id}?feedback=${given.ok ? 'given' : 'already'}`, 303)
  })
}
