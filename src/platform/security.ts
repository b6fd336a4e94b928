import type { FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import { parse as parseQuery } from 'node:querystring'
import type { Config } from './config.ts'
import { isRole, type Role } from './roles.ts'

/**
 * Who may call a route. Every route must declare one (deny by default); access.ts enforces it. `{ roles }` admits
 * a signed-in person holding any of those roles, in any scope: the handler then checks the object's scope.
 */
export type AccessPolicy = 'public' | 'signed-in' | { roles: readonly Role[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy
    /** A static file, the same for everyone (set by markScopeStatic). */
    static?: boolean
  }
  interface FastifyInstance {
    /** Every registered route and its access policy, for the route-policy and access-matrix tests. */
    routePolicies: { method: string; url: string; access: AccessPolicy }[]
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const STATIC_SCOPE = 'openchoiceStaticScope'

/**
 * Marks a plugin scope that serves static files: its routes are public (third-party plugins such as
 * @fastify/static cannot declare config.access themselves) and flagged `static`, so per-person work such as
 * the session lookup is skipped for them. Use only for files that are the same for everyone.
 */
export function markScopeStatic(scope: FastifyInstance): void {
  scope.decorate(STATIC_SCOPE, true)
}

/**
 * Registers, in order: form parsing, cookies, helmet with a per-request CSP nonce, CSRF on every
 * state-changing request, rate limiting, and the deny-by-default check that every route declares its access.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const policies: FastifyInstance['routePolicies'] = []
  app.decorate('routePolicies', policies)
  app.addHook('onRoute', function (route) {
    if (this.hasDecorator(STATIC_SCOPE)) route.config = { access: 'public', ...route.config, static: true }
    const access = route.config?.access
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access (deny by default)`)
    }
    if (typeof access === 'object' && (access.roles.length === 0 || !access.roles.every(isRole))) {
      throw new Error(`Route ${String(route.method)} ${route.url} names no known role in config.access`)
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
  await app.register(fastifyRateLimit, { global: false, allowList: config.rateLimitAllowList })
}
