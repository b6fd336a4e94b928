import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.ts'
import { loadConfig, type Config } from '../config.ts'
import { createLogger } from '../logger.ts'
import { runSeeds } from '../seed.ts'
import type { Database } from '../db.ts'
import type { ModuleManifest } from '../module.ts'
import { createTestDatabase, type Dialect } from './test-db.ts'

export interface TestApp {
  app: FastifyInstance
  database: Database
  config: Config
  close(): Promise<void>
}

export interface TestAppOptions {
  /** Load the modules' demo seeds (real open data) before the app starts. */
  seed?: boolean
  config?: Partial<Config>
  /** A controllable clock for expiry and deadline tests. */
  now?: () => Date
}

/** The real application on a fresh test database, with CSRF and every other security control on. */
export async function createTestApp(
  dialect: Dialect,
  modules: ModuleManifest[],
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect, modules)
  if (opts.seed) await runSeeds(database.db, modules, createLogger('silent'), { onlyIfEmpty: true })
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    { database: { kind: 'pglite', dataDir: 'memory' }, ...opts.config },
  )
  const app = await buildApp({ config, database, modules, logger: false, ...(opts.now ? { now: opts.now } : {}) })
  await app.ready()
  return {
    app,
    database,
    config,
    async close() {
      await app.close()
      await database.close()
    },
  }
}
