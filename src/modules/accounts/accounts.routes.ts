import type { FastifyInstance } from 'fastify'
import { formError, safeReturnPath, type ModuleContext } from '../../platform/index.ts'
import {
  changePasswordForm,
  resetPasswordForm,
  resetRequestForm,
  signInForm,
  signUpForm,
  tokenForm,
} from './accounts.schema.ts'
import {
  changePassword,
  findAccount,
  isEmailTokenLive,
  requestPasswordReset,
  resetPassword,
  signIn,
  signOut,
  signUp,
  verifyEmail,
} from './accounts.service.ts'
import { FORM_RATE_LIMIT, routeHelpers } from './route-helpers.ts'
import { clearSessionCookie, setSessionCookie } from './session.hooks.ts'

/** Sign-up, email confirmation, sign-in and out, password reset and change (GOV.UK One Login's patterns). */
export async function accountRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  const { context, mailer, translate, invalid, problem } = routeHelpers({ config, now })

  // Create an account
  app.get('/create-account', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/create-account.njk', { values: {} }),
  )
  app.post('/create-account', { config: { access: 'public', rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = signUpForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/create-account.njk', req.body, form.error)
    await signUp(db, { email: form.data.email, password: form.data.password }, mailer(reply), context(req))
    return reply.redirect('/create-account/check-email', 303)
  })
  app.get('/create-account/check-email', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/check-email.njk', { purpose: 'verify' }),
  )

  // Confirm an email address: the link opens a page whose button does the work (mail scanners follow links)
  app.get('/verify-email', { config: { access: 'public' } }, async (req, reply) => {
    const token = String((req.query as { token?: unknown }).token ?? '')
    const live = await isEmailTokenLive(db, token, 'verify-email', now())
    return reply.code(live ? 200 : 400).render('accounts/views/verify-email.njk', { token: live ? token : null })
  })
  app.post('/verify-email', { config: { access: 'public', rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = tokenForm.safeParse(req.body ?? {})
    const ok = form.success && (await verifyEmail(db, form.data.token, context(req)))
    if (!ok) return reply.code(400).render('accounts/views/verify-email.njk', { token: null })
    return reply.redirect('/sign-in?confirmed=1', 303)
  })

  // Sign in and out
  app.get('/sign-in', { config: { access: 'public' } }, async (req, reply) => {
    const q = req.query as { next?: unknown; confirmed?: unknown; reset?: unknown }
    return reply.render('accounts/views/sign-in.njk', {
      values: { next: safeReturnPath(q.next) },
      banner: q.confirmed ? 'confirmed' : q.reset ? 'reset' : null,
    })
  })
  app.post('/sign-in', { config: { access: 'public', rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = signInForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/sign-in.njk', req.body, form.error)
    const values = { email: form.data.email, next: safeReturnPath(form.data.next) }
    const result = await signIn(db, form.data, context(req))
    if (!result.ok) {
      if (result.reason === 'wait') {
        const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60))
        reply.header('retry-after', String(result.retryAfterSeconds))
        const text = translate(reply)('accounts.errors.tooManyAttempts', { minutes })
        return reply.code(429).render('accounts/views/sign-in.njk', { values, errors: formError('email', text) })
      }
      const key = result.reason === 'not-verified' ? 'accounts.errors.notVerified' : 'accounts.errors.wrongDetails'
      return problem(reply, 'accounts/views/sign-in.njk', 'email', key, { values })
    }
    // A fresh session id at every sign-in (no session fixation); any session the browser had is ended.
    if (req.identity) await signOut(db, req.identity.sessionId, 'replaced', now())
    setSessionCookie(reply, config.secureCookies, result.token)
    return reply.redirect(values.next ?? '/account', 303)
  })
  app.post('/sign-out', { config: { access: 'signed-in' } }, async (req, reply) => {
    await signOut(db, req.identity!.sessionId, 'signed-out', now())
    clearSessionCookie(reply, config.secureCookies)
    return reply.redirect('/signed-out', 303)
  })
  app.get('/signed-out', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/signed-out.njk'),
  )

  // Reset a forgotten password
  app.get('/reset-password', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/reset-request.njk', { values: {} }),
  )
  app.post('/reset-password', { config: { access: 'public', rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = resetRequestForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/reset-request.njk', req.body, form.error)
    await requestPasswordReset(db, form.data.email, mailer(reply), context(req))
    return reply.redirect('/reset-password/check-email', 303)
  })
  app.get('/reset-password/check-email', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/check-email.njk', { purpose: 'reset' }),
  )
  app.get('/reset-password/new', { config: { access: 'public' } }, async (req, reply) => {
    const token = String((req.query as { token?: unknown }).token ?? '')
    const live = await isEmailTokenLive(db, token, 'reset-password', now())
    return reply
      .code(live ? 200 : 400)
      .render('accounts/views/reset-password.njk', { values: { token: live ? token : null } })
  })
  app.post('/reset-password/new', { config: { access: 'public', rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = resetPasswordForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/reset-password.njk', req.body, form.error)
    if (!(await resetPassword(db, form.data.token, form.data.password, context(req)))) {
      return reply.code(400).render('accounts/views/reset-password.njk', { values: { token: null } })
    }
    clearSessionCookie(reply, config.secureCookies)
    return reply.redirect('/sign-in?reset=1', 303)
  })

  // Your account
  app.get('/account', { config: { access: 'signed-in' } }, async (req, reply) => {
    const account = await findAccount(db, req.identity!.personId)
    return reply.render('accounts/views/account.njk', {
      account,
      changed: (req.query as { changed?: unknown }).changed,
    })
  })
  app.get('/account/change-password', { config: { access: 'signed-in' } }, async (_req, reply) =>
    reply.render('accounts/views/change-password.njk', { values: {} }),
  )
  app.post(
    '/account/change-password',
    { config: { access: 'signed-in', rateLimit: FORM_RATE_LIMIT } },
    async (req, reply) => {
      const account = await findAccount(db, req.identity!.personId)
      const form = changePasswordForm.safeParse({ ...((req.body ?? {}) as object), email: account?.email ?? '' })
      if (!form.success) return invalid(reply, 'accounts/views/change-password.njk', {}, form.error)
      const result = await changePassword(
        db,
        req.identity!,
        { current: form.data.current, password: form.data.password },
        context(req),
      )
      if (!result.ok) {
        return problem(reply, 'accounts/views/change-password.njk', 'current', 'accounts.errors.wrongCurrent', {
          values: {},
        })
      }
      return reply.redirect('/account?changed=1', 303)
    },
  )
}
