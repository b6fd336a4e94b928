import type { FastifyInstance, FastifyReply } from 'fastify'
import { moduleDb, recordAudit, auditContextFromRequest, type ModuleContext } from '../../platform/index.ts'
import { resolveSession, sessionCookieName } from './sessions.ts'
import type { AccountsTables } from './tables.ts'

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure except on plain-http development, whole site. */
export function setSessionCookie(reply: FastifyReply, secure: boolean, token: string): void {
  reply.setCookie(sessionCookieName(secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure })
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure })
}

/** Loads the signed-in person from the session cookie on every request, ending sessions that have expired. */
export function registerSessionHooks(app: FastifyInstance, { db, config, now }: ModuleContext): void {
  const cookieName = sessionCookieName(config.secureCookies)
  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[cookieName]
    if (!token || req.routeOptions.config?.static) return // static files are the same for everyone
    const session = await resolveSession(moduleDb<AccountsTables>(db), token, now())
    if (session.state === 'live') {
      req.identity = session.identity
      reply.locals.actingFor = session.identity.actingFor
      reply.locals.roleNames = session.identity.roles.map((g) => g.role)
      // Whose records the page shows: forms carry it back, so an action is never done for the wrong person.
      reply.locals.subjectId = session.identity.actingFor?.personId ?? session.identity.personId
      reply.locals.signedIn = true
      return
    }
    clearSessionCookie(reply, config.secureCookies)
    if (session.state === 'ended') {
      await recordAudit(db, {
        action: `auth.session.expired-${session.reason}`,
        outcome: 'success',
        actorId: session.personId,
        objectType: 'session',
        objectId: session.sessionId,
        ...auditContextFromRequest(req, config),
      })
    }
  })
}
