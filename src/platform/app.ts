import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Config } from './config.ts'
import type { Database } from './db.ts'
import type { ModuleManifest } from './module.ts'
import type { Logger } from 'pino'
import { registerSecurity } from './security.ts'
import { registerViews, createViewEnvironment } from './views.ts'
import { registerErrorHandlers } from './errors.ts'
import { compileStyles, registerAssets } from './assets.ts'
import { registerHealth } from './health.ts'
import { registerAccessControl } from './access.ts'
import { registerPageContext } from './page-context.ts'
import { registerSitePages } from './site-pages.routes.ts'
import { registerOutboxPage } from './notifications/outbox.routes.ts'
import { i18nOf } from './i18n.ts'

export interface AppOptions {
  config: Config
  database: Database
  modules: ModuleManifest[]
  /** The process logger; tests pass false to keep output quiet. */
  logger: Logger | false
  /** The current time; defaults to the system clock. */
  now?: () => Date
}

/** Builds the whole web application without listening, so tests can `inject()` into the real thing. */
export async function buildApp({
  config,
  database,
  modules,
  logger,
  now = () => new Date(),
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger as FastifyBaseLogger } : { logger: false }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id']
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
    },
    requestIdHeader: false,
    trustProxy: config.env === 'production',
    bodyLimit: 1024 * 1024,
  })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })

  const i18n = i18nOf(modules)
  const styles = await compileStyles()

  await registerSecurity(app, config)
  registerViews(app, createViewEnvironment(config.env === 'production'))
  registerPageContext(app, { config, i18n, cssHash: styles.cssHash })
  registerErrorHandlers(app, config)
  await registerAssets(app, styles)
  registerHealth(app, database)
  const ctx = { db: database.db, config, now, modules }
  await registerSitePages(app, ctx)
  if (config.env !== 'production') await registerOutboxPage(app, ctx) // /dev/outbox
  registerAccessControl(app, ctx)
  for (const m of modules) m.requestHooks?.(app, ctx)
  for (const m of modules) if (m.routes) await app.register(async (scope) => m.routes!(scope, ctx))
  return app
}
