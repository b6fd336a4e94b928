import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from './config.ts'

/** A domain failure a module raises; the platform maps it to an HTTP status. Subclass per module in errors.ts. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 403 | 404 | 409 | 422,
    readonly code: string,
    /** A catalogue key the error page shows to say what happened, in the reader's language. */
    readonly detailKey?: string,
  ) {
    super(message)
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'page') {
    super(`The ${what} could not be found`, 404, 'not-found')
  }
}

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.url.startsWith('/health/')
}

/** RFC 9457 problem details, the body of every 4xx and 5xx under /api. */
export function sendProblem(reply: FastifyReply, status: number, title: string, detail?: string, code?: string) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(code ? { code } : {}) })
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
}

/** Which GOV.UK-style error page to show for a status. */
function errorView(status: number, error: FastifyError | undefined): string {
  if (status === 404) return 'pages/errors/not-found.njk'
  if (status === 429) return 'pages/errors/too-many-requests.njk'
  if (error?.code?.startsWith('FST_CSRF')) return 'pages/errors/form-expired.njk'
  if (status === 403) return 'pages/errors/forbidden.njk'
  if (status < 500) return 'pages/errors/bad-request.njk'
  return 'pages/errors/problem.njk'
}

/**
 * One error handler: GOV.UK error pages for HTML, problem+json for /api. A 5xx is logged with its stack
 * (never the request body) and shown to the user without details.
 */
export function registerErrorHandlers(app: FastifyInstance, config: Config): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) req.log.error({ err: error }, 'request failed')
    else req.log.info({ code: error.code, statusCode: status }, 'request rejected')
    const title = TITLES[status] ?? 'Error'
    if (wantsJson(req)) {
      const hideDetail = status >= 500 && config.env === 'production'
      return sendProblem(reply, status, title, hideDetail ? undefined : error.message, error.code)
    }
    if (reply.locals?.t) {
      const detailKey = error instanceof DomainError ? error.detailKey : undefined
      return reply.code(status).render(errorView(status, error), { status, detailKey })
    }
    // The failure happened before the page context was set up: send plain text rather than fail again.
    return reply.code(status).type('text/plain; charset=utf-8').send(title)
  })

  app.setNotFoundHandler({ preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }) }, (req, reply) => {
    if (wantsJson(req)) return sendProblem(reply, 404, TITLES[404]!, 'No resource at this address', 'not-found')
    return reply.code(404).render('pages/errors/not-found.njk', { status: 404 })
  })
}
