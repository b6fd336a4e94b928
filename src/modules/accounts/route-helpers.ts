import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ZodError } from 'zod'
import { auditContextFromRequest, fieldErrors, formError, type ModuleContext } from '../../platform/index.ts'
import type { Mailer, RequestContext } from './accounts.service.ts'

type T = (key: string, params?: Record<string, string | number>) => string

// Per client address; the per-account limits live in the services.
export const FORM_RATE_LIMIT = { max: 10, timeWindow: '1 minute' }
const SECRETS = new Set(['password', 'confirm', 'current'])

/** What every accounts route file needs to answer forms: request facts, email writer, error pages. */
export function routeHelpers({ config, now }: Pick<ModuleContext, 'config' | 'now'>) {
  const translate = (reply: FastifyReply) => reply.locals.t as T
  return {
    translate,
    context: (req: FastifyRequest): RequestContext => ({ ...auditContextFromRequest(req, config), now: now() }),
    mailer: (reply: FastifyReply): Mailer => ({ t: translate(reply), publicUrl: config.publicUrl }),
    /** Re-shows a form with its errors; what was typed comes back, except passwords. */
    invalid(reply: FastifyReply, view: string, body: unknown, error: ZodError, extra: object = {}) {
      const values = Object.fromEntries(Object.entries((body ?? {}) as object).filter(([k]) => !SECRETS.has(k)))
      return reply.code(400).render(view, { values, errors: fieldErrors(error, translate(reply)), ...extra })
    },
    /** Re-shows a valid form with one problem the service found (a wrong password, an unknown organisation). */
    problem(reply: FastifyReply, view: string, field: string, key: string, extra: object = {}, status = 400) {
      return reply.code(status).render(view, { errors: formError(field, translate(reply)(key)), ...extra })
    },
  }
}
