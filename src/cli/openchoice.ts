import { Command, CommanderError } from 'commander'
import type { Logger } from 'pino'
import { ConfigError, createLogger, loadConfig, migrateToLatest, runSeeds, type Database } from '../platform/index.ts'
import { modules } from '../modules/registry.ts'
import { openAndDescribeDatabase, startServer } from '../server.ts'

/** The `openchoice` command line. Sub-commands call module and platform public APIs only. */
export function buildCli(): Command {
  const program = new Command()
    .name('openchoice')
    .description('OpenChoice: choose between regulated providers of public services.')
    .showHelpAfterError()

  program
    .command('serve')
    .description('Migrate the database, load demo data into an empty one, and start the web service (PORT, HOST).')
    .action(async () => {
      const config = loadConfig()
      await startServer(config, createLogger(config.logLevel))
    })

  program
    .command('migrate')
    .description('Apply every pending database migration, then exit.')
    .action(() =>
      withDatabase(async (database, log) => {
        const result = await migrateToLatest(database.db, modules)
        const applied = result.results?.map((r) => r.migrationName) ?? []
        log.info({ applied }, applied.length ? `Applied ${applied.length} migrations` : 'Database already up to date')
      }),
    )

  program
    .command('seed')
    .description('Load the demo data from the real open data files in data/ (safe to run again: changes nothing).')
    .action(() =>
      withDatabase(async (database, log) => {
        await migrateToLatest(database.db, modules)
        const rows = await runSeeds(database.db, modules, log, { onlyIfEmpty: false })
        log.info({ rows }, 'Demo data loaded')
      }),
    )

  return program
}

/** Runs a one-off command against the configured database and always closes it. */
async function withDatabase(work: (database: Database, log: Logger) => Promise<void>): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.logLevel)
  const database = await openAndDescribeDatabase(config, log)
  try {
    await work(database, log)
  } finally {
    await database.close()
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`openchoice: ${err.message}\n`)
      process.exit(2)
    }
    if (err instanceof CommanderError) process.exit(err.exitCode)
    throw err
  }
}
