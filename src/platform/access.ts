import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from './errors.ts'
import { auditContextFromRequest, recordAudit } from './audit/audit.ts'
import type { ModuleContext } from './module.ts'

/** Who is making a request: a signed-in person (the accounts module fills this in from the session). */
export interface Identity {
  personId: string
  sessionId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null
  }
}

/** Pages that need sign-in send people here, with where they were going. */
export const SIGN_IN_PATH = '/sign-in'

function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/')
}

/** Only same-site relative paths may be returned to after sign-in (no open redirects). */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-/.?=&%]*$/.test(value) && value.length <= 300
    ? value
    : undefined
}

async function refuseSignedOut(req: FastifyRequest, reply: FastifyReply) {
  if (isApi(req)) return sendProblem(reply, 401, 'Unauthorized', 'Sign in to use this', 'sign-in-required')
  const next = safeReturnPath(req.url)
  return reply.redirect(next ? `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}` : SIGN_IN_PATH, 303)
}

/**
 * Enforces each route's declared `config.access` (deny by default: security.ts refuses routes without one).
 * 'public' is open to all; 'signed-in' needs a live session. Roles and scopes extend this (issue #3).
 */
export function registerAccessControl(
  app: FastifyInstance,
  { db, config }: Pick<ModuleContext, 'db' | 'config'>,
): void {
  app.decorateRequest('identity', null)
  // Every refusal is audited: who (if anyone), which route, when, from where (hashed).
  const audit = (req: FastifyRequest, reason: string) =>
    recordAudit(db, {
      action: 'access.denied',
      outcome: 'denied',
      actorId: req.identity?.personId ?? null,
      details: { method: req.method, route: req.routeOptions.url ?? '', reason },
      ...auditContextFromRequest(req, config),
    })
  app.addHook('preHandler', async (req, reply) => {
    if (req.is404) return // the not-found handler answers every unknown address the same way
    const access = req.routeOptions.config?.access
    if (access === 'public') return
    if (access === 'signed-in') {
      if (req.identity) return
      await audit(req, 'not-signed-in')
      return refuseSignedOut(req, reply)
    }
    await audit(req, 'no-policy')
    // A route reached with no known policy is refused rather than served.
    return isApi(req) ? sendProblem(reply, 403, 'Forbidden') : reply.code(403).render('pages/errors/forbidden.njk')
  })
}
