import type { FastifyInstance } from 'fastify'
import {
  AccessDeniedError,
  CHOICE_FRAMEWORKS,
  idParam,
  listAuditEntriesAbout,
  type ModuleContext,
} from '../../platform/index.ts'
import { consentAnswerForm, consentIdForm, consentRequestForm, offlineConsentForm } from './champions.schema.ts'
import {
  answerConsent,
  emailsOf,
  CONSENT_ACTIONS,
  CONSENT_DURATIONS,
  findPersonConsent,
  listChampionConsents,
  listPersonConsents,
  recordOfflineConsent,
  requestConsent,
  revokeConsent,
  startActing,
  stopActing,
} from './consents.service.ts'
import { FORM_RATE_LIMIT, routeHelpers } from './route-helpers.ts'

const CHAMPION = { access: { roles: ['champion'] as const } }
const SIGNED_IN = { access: 'signed-in' as const }
const OPTIONS = { frameworks: CHOICE_FRAMEWORKS, actions: CONSENT_ACTIONS, durations: CONSENT_DURATIONS }

/**
 * Choice champions (issue #3, part 5): a champion asks for consent or records consent given offline, acts for the
 * person while it is live; the person answers, sees everything done for them, and can revoke at any time.
 */
export async function consentRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  const { context, mailer, translate, invalid, problem } = routeHelpers({ config, now })

  // The champion's side
  app.get('/champion', { config: CHAMPION }, async (req, reply) => {
    const q = req.query as { done?: unknown }
    const consents = await listChampionConsents(db, req.identity!.personId, now())
    return reply.render('accounts/views/champion/consents.njk', { consents, done: q.done })
  })
  app.get('/champion/ask', { config: CHAMPION }, async (_req, reply) =>
    reply.render('accounts/views/champion/ask.njk', { values: {}, ...OPTIONS }),
  )
  app.post('/champion/ask', { config: { ...CHAMPION, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const view = 'accounts/views/champion/ask.njk'
    const form = consentRequestForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, view, req.body, form.error, OPTIONS)
    const result = await requestConsent(db, req.identity!.personId, form.data, mailer(reply), context(req))
    if (!result.ok) {
      const key = result.reason === 'self' ? 'accounts.errors.consentSelf' : 'accounts.errors.tooManyRequests'
      return problem(reply, view, 'email', key, { values: req.body, ...OPTIONS }, result.reason === 'self' ? 400 : 429)
    }
    return reply.redirect('/champion?done=requested', 303)
  })
  app.get('/champion/record', { config: CHAMPION }, async (_req, reply) =>
    reply.render('accounts/views/champion/record.njk', { values: {}, ...OPTIONS }),
  )
  app.post('/champion/record', { config: { ...CHAMPION, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const view = 'accounts/views/champion/record.njk'
    const form = offlineConsentForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, view, req.body, form.error, OPTIONS)
    const result = await recordOfflineConsent(db, req.identity!.personId, form.data, mailer(reply), context(req))
    if (!result.ok) {
      const key = result.reason === 'self' ? 'accounts.errors.consentSelf' : 'accounts.errors.noAccountForConsent'
      return problem(reply, view, 'email', key, { values: req.body, ...OPTIONS })
    }
    return reply.redirect('/champion?done=recorded', 303)
  })
  app.post('/champion/act', { config: CHAMPION }, async (req, reply) => {
    const form = consentIdForm.safeParse(req.body ?? {})
    const ok = form.success && (await startActing(db, req.identity!, form.data.consentId, context(req)))
    if (!ok) throw new AccessDeniedError('consent', form.data?.consentId ?? 'invalid', false, 'accounts.acting.notLive')
    return reply.redirect('/', 303)
  })
  // Open to anyone signed in: a champion whose role was removed must still be able to stop acting.
  app.post('/champion/stop', { config: SIGNED_IN }, async (req, reply) => {
    await stopActing(db, req.identity!, context(req))
    return reply.redirect('/champion', 303)
  })

  // The person's side
  app.get('/account/champions', { config: SIGNED_IN }, async (req, reply) => {
    const q = req.query as { done?: unknown }
    const consents = await listPersonConsents(db, req.identity!.personId, now())
    return reply.render('accounts/views/consents/list.njk', { consents, done: q.done })
  })
  app.get('/account/champions/history', { config: SIGNED_IN }, async (req, reply) => {
    const entries = await listAuditEntriesAbout(db, req.identity!.personId, 'onBehalfOf')
    const actors = await emailsOf(db, [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))])
    const t = translate(reply)
    // Modules add actions over time; one without its own sentence yet is still listed, by its code.
    const what = (action: string) => {
      try {
        return t(`accounts.history.actions.${action}`)
      } catch {
        return t('accounts.history.actions.other', { action })
      }
    }
    return reply.render('accounts/views/consents/history.njk', {
      entries: entries
        .filter((e) => e.actorId !== req.identity!.personId)
        .map((e) => ({ ...e, what: what(e.action), actorEmail: e.actorId ? actors.get(e.actorId) : null })),
    })
  })
  app.get('/account/champions/:consentId', { config: SIGNED_IN }, async (req, reply) => {
    const consent = await personConsent(req.identity!.personId, idParam(req.params, 'consentId'))
    return reply.render('accounts/views/consents/show.njk', { consent, values: {} })
  })
  app.post('/account/champions/:consentId', { config: SIGNED_IN }, async (req, reply) => {
    const consent = await personConsent(req.identity!.personId, idParam(req.params, 'consentId'))
    const form = consentAnswerForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/consents/show.njk', req.body, form.error, { consent })
    const answered = await answerConsent(db, req.identity!.personId, consent.id, form.data.decision, context(req))
    if (!answered) return reply.redirect(`/account/champions/${consent.id}`, 303) // answered already, or expired
    return reply.redirect(`/account/champions?done=${form.data.decision === 'grant' ? 'granted' : 'refused'}`, 303)
  })
  app.post('/account/champions/:consentId/revoke', { config: SIGNED_IN }, async (req, reply) => {
    const consent = await personConsent(req.identity!.personId, idParam(req.params, 'consentId'))
    await revokeConsent(db, { personId: req.identity!.personId }, consent.id, context(req))
    return reply.redirect('/account/champions?done=revoked', 303)
  })

  /** A consent about this person; anyone else's is answered as not found, and audited. */
  async function personConsent(personId: string, consentId: string) {
    const consent = await findPersonConsent(db, personId, consentId, now())
    if (!consent) throw new AccessDeniedError('consent', consentId, true)
    return consent
  }
}
