import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { auditContextFromRequest, recordAudit, safeReturnPath, type ModuleContext } from '../../platform/index.ts'
import { signOut, type RequestContext } from './accounts.service.ts'
import { finishOneLogin, startOneLogin, type OneLoginFlow } from './one-login.ts'
import { signInWithExternalIdentity } from './one-login.service.ts'
import { setSessionCookie } from './session.hooks.ts'

const START_PATH = '/sign-in/one-login'
const CALLBACK_PATH = '/sign-in/one-login/callback'
// Long enough to sign in at the provider (with a code sent by text message), short enough that a copied cookie is
// soon useless.
const FLOW_LIFETIME_S = 10 * 60
// Each request makes the service call the provider, so a client cannot make it do so without limit.
const RATE_LIMIT = { max: 20, timeWindow: '1 minute' }

type Failure = 'cancelled' | 'refused' | 'unavailable' | 'email-not-verified'

interface FlowCookie extends OneLoginFlow {
  next: string | undefined
  /** Expiry in epoch milliseconds, checked here as well as by the browser. */
  exp: number
}

/** The cookie that carries state, nonce and PKCE verifier from the redirect to the callback, and nowhere else. */
function flowCookieName(secure: boolean): string {
  return secure ? '__Secure-openchoice-one-login' : 'openchoice-one-login'
}

/**
 * Sign-in with GOV.UK One Login (or another OpenID Connect provider): registered only when ONE_LOGIN_* is set.
 * It also tells the accounts pages registered after it in the same scope to offer One Login (sign-in.njk).
 */
export async function oneLoginRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  const settings = config.oneLogin!
  const redirectUri = config.publicUrl.replace(/\/$/, '') + CALLBACK_PATH
  const cookieName = flowCookieName(config.secureCookies)
  const cookieOptions = { path: START_PATH, httpOnly: true, sameSite: 'lax', secure: config.secureCookies } as const
  const context = (req: FastifyRequest): RequestContext => ({ ...auditContextFromRequest(req, config), now: now() })

  app.addHook('onRequest', async (_req, reply) => {
    reply.locals.oneLogin = true
  })

  /** A GOV.UK-style page saying what went wrong, with a link to try again; the failure is audited. */
  const refuse = async (req: FastifyRequest, reply: FastifyReply, failure: Failure, detail: string, next?: string) => {
    await recordAudit(db, {
      action: 'auth.sign-in.failed',
      outcome: 'failure',
      details: { method: 'one-login', reason: failure, detail },
      ...auditContextFromRequest(req, config),
    })
    const retry = next ? `${START_PATH}?next=${encodeURIComponent(next)}` : START_PATH
    return reply
      .code(failure === 'unavailable' ? 502 : 400)
      .header('cache-control', 'no-store')
      .render('accounts/views/one-login-error.njk', { failure, retry })
  }

  app.get(START_PATH, { config: { access: 'public', rateLimit: RATE_LIMIT } }, async (req, reply) => {
    const next = safeReturnPath((req.query as { next?: unknown }).next)
    const started = await startOneLogin(settings, redirectUri, String(reply.locals.locale ?? 'en'))
    if (!started.ok) {
      req.log.warn({ detail: started.detail }, 'One Login discovery failed')
      return refuse(req, reply, 'unavailable', started.detail, next)
    }
    const cookie: FlowCookie = { ...started.flow, next, exp: now().getTime() + FLOW_LIFETIME_S * 1000 }
    reply.setCookie(cookieName, Buffer.from(JSON.stringify(cookie)).toString('base64url'), {
      ...cookieOptions,
      maxAge: FLOW_LIFETIME_S,
      signed: true,
    })
    return reply.header('cache-control', 'no-store').redirect(started.url, 303)
  })

  app.get(CALLBACK_PATH, { config: { access: 'public', rateLimit: RATE_LIMIT } }, async (req, reply) => {
    // The flow cookie works once: it goes whatever happens next, so a replayed callback finds nothing.
    const flow = readFlowCookie(req, cookieName, now())
    reply.clearCookie(cookieName, cookieOptions)
    if (!flow) return refuse(req, reply, 'refused', 'no-flow-cookie')
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''
    const answer = await finishOneLogin(settings, new URL(redirectUri + query), flow)
    if (!answer.ok) {
      if (answer.failure === 'unavailable') req.log.warn({ detail: answer.detail }, 'One Login callback failed')
      return refuse(req, reply, answer.failure, answer.detail, flow.next)
    }
    const result = await signInWithExternalIdentity(db, answer.claims, context(req))
    if (!result.ok) return refuse(req, reply, 'email-not-verified', result.reason, flow.next)
    // A fresh session id at every sign-in (no session fixation); any session the browser had is ended.
    if (req.identity) await signOut(db, req.identity.sessionId, 'replaced', now())
    setSessionCookie(reply, config.secureCookies, result.token)
    return reply.header('cache-control', 'no-store').redirect(flow.next ?? '/account', 303)
  })
}

/** The flow values from the signed cookie, or null if it is missing, forged, malformed or past its 10 minutes. */
function readFlowCookie(req: FastifyRequest, name: string, now: Date): (OneLoginFlow & { next?: string }) | null {
  const raw = req.cookies[name]
  if (!raw) return null
  const unsigned = req.unsignCookie(raw)
  if (!unsigned.valid || !unsigned.value) return null
  try {
    const c = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Partial<FlowCookie>
    const strings = [c.state, c.nonce, c.codeVerifier].every((v) => typeof v === 'string' && v.length > 0)
    if (!strings || typeof c.exp !== 'number' || c.exp <= now.getTime()) return null
    return { state: c.state!, nonce: c.nonce!, codeVerifier: c.codeVerifier!, next: safeReturnPath(c.next) }
  } catch {
    return null
  }
}
