import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  auditContextFromRequest,
  fieldErrors,
  formError,
  idParam,
  NotFoundError,
  workingDayDeadline,
  type ModuleContext,
} from '../../platform/index.ts'
import { requireActingPermission } from '../accounts/index.ts'
import { findProviderById, mayBeChosen, type Provider } from '../directory/index.ts'
import { answerForm, inboxQuery, requestForm, subjectForm } from './requests.schema.ts'
import {
  answerChoiceRequest,
  DECLINE_REASONS,
  makeChoiceRequest,
  withdrawChoiceRequest,
  type Mailer,
} from './requests.service.ts'
import { inboxRequest, listInbox, listMyChoices, myChoice } from './requests.views.ts'
import { promptViewer, recordPromptShown } from './prompts.service.ts'
import { responseStandardDays } from './rights.ts'

type T = (key: string, params?: Record<string, string | number>) => string
const SIGNED_IN = { access: 'signed-in' as const }
const STAFF = { access: { roles: ['provider-staff'] as const } }
const FORM_RATE_LIMIT = { max: 20, timeWindow: '1 minute' }
const providerQuery = z.object({ provider: z.guid() })

/**
 * Choice requests: a person (or their champion) asks a provider for a place or a service; the provider's staff
 * accept or decline within the framework's response standard; the person follows it on "My choices".
 */
export async function requestRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  const t = (reply: FastifyReply) => reply.locals.t as T
  const facts = (req: FastifyRequest) => auditContextFromRequest(req, config)
  const mailer = (reply: FastifyReply): Mailer => ({ t: t(reply), publicUrl: config.publicUrl })

  /** The choose page, with the deadline the provider would have if the request were sent now. */
  async function renderNewRequest(req: FastifyRequest, reply: FastifyReply, provider: Provider, extra: object = {}) {
    if (!mayBeChosen(provider).ok) {
      return reply.code(409).render('choice/views/requests/not-choosable.njk', { provider })
    }
    const days = responseStandardDays(provider.framework)
    await recordPromptShown(db, { framework: provider.framework, point: 'choose', ...promptViewer(req) }, now())
    return reply.render('choice/views/requests/new.njk', {
      provider,
      days,
      dueDate: workingDayDeadline(now(), days).dueDate,
      submission: randomUUID(),
      values: {},
      ...extra,
    })
  }

  async function chosenProvider(id: string) {
    const provider = await findProviderById(db, id)
    if (!provider) throw new NotFoundError('provider')
    return provider
  }

  app.get('/choose/request/new', { config: SIGNED_IN }, async (req, reply) => {
    const query = providerQuery.safeParse(req.query ?? {})
    if (!query.success) throw new NotFoundError('provider')
    const provider = await chosenProvider(query.data.provider)
    requireActingPermission(req.identity!, { framework: provider.framework, action: 'choose' })
    return renderNewRequest(req, reply, provider)
  })

  app.post('/choose/request/new', { config: { ...SIGNED_IN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const form = requestForm.safeParse(body)
    if (!form.success) {
      const providerId = z.guid().safeParse(body.providerId)
      if (!providerId.success) throw new NotFoundError('provider')
      const provider = await chosenProvider(providerId.data)
      return renderNewRequest(req, reply.code(400), provider, {
        values: body,
        errors: fieldErrors(form.error, t(reply)),
      })
    }
    const { providerId, message, submission, subject } = form.data
    const result = await makeChoiceRequest(
      db,
      req.identity!,
      { providerId, message, submissionKey: submission, pageSubjectId: subject },
      { ...facts(req), now: now(), mailer: mailer(reply) },
    )
    if (result.ok) return reply.redirect(`/my-choices/${result.request.id}?sent=1`, 303)
    if (result.reason === 'not-choosable') {
      return reply.code(409).render('choice/views/requests/not-choosable.njk', { provider: result.provider })
    }
    const provider = await chosenProvider(providerId)
    const text = t(reply)('choice.requests.errors.alreadyOpen', { provider: provider.name })
    return renderNewRequest(req, reply.code(409), provider, {
      values: body,
      errors: formError('message', text),
      existing: result.existing.id,
    })
  })

  app.get('/my-choices', { config: SIGNED_IN }, async (req, reply) =>
    reply.render('choice/views/requests/mine.njk', { requests: await listMyChoices(db, req.identity!, facts(req)) }),
  )

  app.get('/my-choices/:id', { config: SIGNED_IN }, async (req, reply) => {
    const { request, history } = await myChoice(db, req.identity!, idParam(req.params, 'id'), facts(req))
    const flags = req.query as { sent?: unknown; withdrawn?: unknown; feedback?: unknown }
    return reply.render('choice/views/requests/show.njk', {
      request,
      history,
      sent: flags.sent === '1',
      withdrawn: flags.withdrawn === '1',
      feedback: flags.feedback === 'given' || flags.feedback === 'already' ? flags.feedback : null,
    })
  })

  app.post('/my-choices/:id/withdraw', { config: { ...SIGNED_IN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const id = idParam(req.params, 'id')
    const { subject } = subjectForm.parse(req.body ?? {})
    await withdrawChoiceRequest(
      db,
      req.identity!,
      { requestId: id, pageSubjectId: subject },
      { ...facts(req), now: now(), mailer: mailer(reply) },
    )
    return reply.redirect(`/my-choices/${id}?withdrawn=1`, 303)
  })

  app.get('/provider-requests', { config: STAFF }, async (req, reply) => {
    const { show } = inboxQuery.parse(req.query ?? {})
    return reply.render('choice/views/requests/inbox.njk', { show, requests: await listInbox(db, req.identity!, show) })
  })

  const renderAnswer = async (req: FastifyRequest, reply: FastifyReply, id: string, extra: object = {}) => {
    const found = await inboxRequest(db, req.identity!, id, facts(req))
    const answered = (req.query as { answered?: unknown }).answered === '1'
    return reply.render('choice/views/requests/answer.njk', {
      ...found,
      reasons: DECLINE_REASONS,
      answered,
      values: {},
      ...extra,
    })
  }

  app.get('/provider-requests/:id', { config: STAFF }, async (req, reply) =>
    renderAnswer(req, reply, idParam(req.params, 'id')),
  )

  app.post('/provider-requests/:id', { config: { ...STAFF, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const id = idParam(req.params, 'id')
    const form = answerForm.safeParse(req.body ?? {})
    if (!form.success) {
      return renderAnswer(req, reply.code(400), id, { values: req.body, errors: fieldErrors(form.error, t(reply)) })
    }
    const answer =
      form.data.outcome === 'accept'
        ? ({ outcome: 'accept' } as const)
        : ({ outcome: 'decline', reason: form.data.reason!, note: form.data.note } as const)
    const result = await answerChoiceRequest(db, req.identity!, id, answer, {
      ...facts(req),
      now: now(),
      mailer: mailer(reply),
    })
    if (!result.ok) {
      const text = t(reply)('choice.requests.errors.alreadyAnswered')
      return renderAnswer(req, reply.code(409), id, { values: req.body, errors: formError('outcome', text) })
    }
    return reply.redirect(`/provider-requests/${id}?answered=1`, 303)
  })
}
