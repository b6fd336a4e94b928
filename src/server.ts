import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import {
  buildApp,
  createNotificationSender,
  migrateToLatest,
  openDatabase,
  runSeeds,
  startJobWorker,
  startNotificationDispatcher,
  type Config,
  type Database,
} from './platform/index.ts'
import { modules } from './modules/registry.ts'

/** Opens the database named by config and says which one it is; PGlite gets a one-off warning. */
export async function openAndDescribeDatabase(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase(config.database, {
    onIdleClientError: (err) => log.warn({ err }, 'an idle database connection was closed by the server'),
  })
  log.info({ database: database.kind }, `Using ${database.description}`)
  if (database.kind === 'pglite') {
    log.warn(
      'The embedded database (PGlite) suits trying OpenChoice out and small single-process deployments. ' +
        'It does not fsync and has one connection: production data belongs in PostgreSQL (set DATABASE_URL).',
    )
  }
  return database
}

/** The `serve` command: migrate, seed an empty database with demo data, listen, and close cleanly on a signal. */
export async function startServer(config: Config, log: Logger): Promise<{ app: FastifyInstance; database: Database }> {
  const sender = createNotificationSender(config) // first: in production without GOV.UK Notify, refuse to start
  const database = await openAndDescribeDatabase(config, log)
  const migrated = await migrateToLatest(database.db, modules)
  log.info({ applied: migrated.results?.length ?? 0 }, 'database migrated')
  await runSeeds(database.db, modules, log, { onlyIfEmpty: true })
  const app = await buildApp({ config, database, modules, logger: log })

  let stopDispatcher = async () => {}
  let stopJobs = async () => {}
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      log.error('shutdown took too long; exiting')
      process.exit(1)
    }, 10_000)
    timer.unref()
    await app.close()
    await stopDispatcher() // waits for the batch in hand, so no message is left half-recorded
    await stopJobs() // likewise: deliveries claimed but not started are given back
    await database.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
  stopDispatcher = startNotificationDispatcher(database.db, sender, log)
  log.info({ sender: sender.name }, 'notification dispatcher started')
  if (config.jobsIntervalSeconds > 0) {
    const jobs = { db: database.db, config, now: () => new Date(), log, modules }
    stopJobs = startJobWorker(jobs, config.jobsIntervalSeconds)
    log.info({ everySeconds: config.jobsIntervalSeconds }, 'jobs worker started')
  } else log.info('jobs worker off in this process (JOBS_INTERVAL_SECONDS=0)')
  return { app, database }
}
