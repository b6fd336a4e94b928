import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, sendProblem } from './errors.ts'
import { holdsRole, type RoleGrant } from './roles.ts'
import { auditContextFromRequest, recordAudit } from './audit/audit.ts'
import type { ModuleContext } from './module.ts'

/** Who is making a request: a signed-in person (the accounts module fills this in from the session). */
export interface Identity {
  personId: string
  sessionId: string
  /** Roles granted on top of being a resident, each with its scope. */
  roles: readonly RoleGrant[]
  /** Set while a choice champion acts for a person under that person's live consent. */
  actingFor: ActingFor | null
}

/** The person a choice champion is acting for, and the consent that allows it. */
export interface ActingFor {
  personId: string
  consentId: string
  /** How the champion knows the person (their email address), for the banner on every page. */
  label: string
  frameworks: readonly string[]
  actions: readonly string[]
}

/**
 * Refuses one object to someone the route admitted: another organisation's record, another person's consent.
 * `hide` answers 404, for objects whose very existence is private; both are audited as access.denied.
 */
export class AccessDeniedError extends DomainError {
  constructor(
    readonly objectType: string,
    readonly objectId: string,
    readonly hide = false,
    detailKey?: string,
  ) {
    super(
      hide ? 'The page could not be found' : 'You do not have access to this',
      hide ? 404 : 403,
      'access-denied',
      detailKey,
    )
  }
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
 * 'public' is open to all; 'signed-in' needs a live session; `{ roles }` needs a live session and one of the roles.
 * Every refusal, including an AccessDeniedError raised by a handler for one object, is audited.
 */
export function registerAccessControl(
  app: FastifyInstance,
  { db, config }: Pick<ModuleContext, 'db' | 'config'>,
): void {
  app.decorateRequest('identity', null)
  // Every refusal is audited: who (if anyone), which route, when, from where (hashed).
  const audit = (req: FastifyRequest, reason: string, object?: AccessDeniedError) =>
    recordAudit(db, {
      action: 'access.denied',
      outcome: 'denied',
      actorId: req.identity?.personId ?? null,
      onBehalfOfId: req.identity?.actingFor?.personId ?? null,
      objectType: object?.objectType ?? null,
      objectId: object?.objectId ?? null,
      details: { method: req.method, route: req.routeOptions.url ?? '', reason },
      ...auditContextFromRequest(req, config),
    })
  const forbidden = (req: FastifyRequest, reply: FastifyReply) =>
    isApi(req) ? sendProblem(reply, 403, 'Forbidden') : reply.code(403).render('pages/errors/forbidden.njk')

  app.addHook('preHandler', async (req, reply) => {
    if (req.is404) return // the not-found handler answers every unknown address the same way
    const access = req.routeOptions.config?.access
    if (access === 'public') return
    if (access === 'signed-in' || typeof access === 'object') {
      if (!req.identity) {
        await audit(req, 'not-signed-in')
        return refuseSignedOut(req, reply)
      }
      if (access === 'signed-in' || access.roles.some((role) => holdsRole(req.identity!.roles, role))) return
      await audit(req, 'missing-role')
      return forbidden(req, reply)
    }
    await audit(req, 'no-policy')
    // A route reached with no known policy is refused rather than served.
    return forbidden(req, reply)
  })
  app.addHook('onError', async (req, _reply, error) => {
    if (error instanceof AccessDeniedError) await audit(req, 'object', error)
  })
}
