import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import { parse as parseQuery } from 'node:querystring'
import type { Config } from './config.ts'

/** Who may call a route. Every route must declare one (deny by default); access.ts enforces it. */
export type AccessPolicy = 'public' | 'signed-in'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy
  }
  interface FastifyInstance {
    /** Every registered route and its access policy, for the route-policy and access-matrix tests. */
    routePolicies: { method: string; url: string; access: AccessPolicy }[]
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const PUBLIC_SCOPE = 'openchoicePublicScope'

/**
 * Marks a plugin scope whose routes are all public (third-party plugins such as @fastify/static cannot
 * declare config.access themselves). Use only for static, non-personal content.
 */
export function markScopePublic(scope: FastifyInstance): void {
  scope.decorate(PUBLIC_SCOPE, true)
}

/**
 * Registers, in order: form parsing, cookies, helmet with a per-request CSP nonce, CSRF on every
 * state-changing request, rate limiting, and the deny-by-default check that every route declares its access.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const policies: FastifyInstance['routePolicies'] = []
  app.decorate('routePolicies', policies)
  app.addHook('onRoute', function (route) {
    if (!route.config?.access && this.hasDecorator(PUBLIC_SCOPE)) route.config = { ...route.config, access: 'public' }
    const access = route.config?.access
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access (deny by default)`)
    }
    for (const method of [route.method].flat()) policies.push({ method, url: route.url, access })
  })

  // A body field repeated (?a=1&a=2) arrives as an array; zod schemas reject it with a clear error.
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024, parser: (body) => parseQuery(body) })
  await app.register(fastifyCookie, { secret: config.cookieSecret })
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: config.secureCookies ? '__Host-openchoice-csrf' : 'openchoice-csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
    getToken: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  })
  app.addHook('preHandler', (req, reply, done) => {
    if (STATE_CHANGING.has(req.method)) app.csrfProtection(req, reply, done)
    else done()
  })
  await app.register(fastifyRateLimit, { global: false })
}

/** The CSRF token for this request's forms (the `_csrf` hidden field the form macro adds). */
export function csrfToken(_req: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf()
}
