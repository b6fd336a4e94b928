import { Command, CommanderError } from 'commander'
import type { Logger } from 'pino'
import {
  AuditTrailMissingError,
  ConfigError,
  createLogger,
  describeAuditVerification,
  loadConfig,
  migrateToLatest,
  runSeeds,
  verifyAuditChain,
  isRole,
  ROLES,
  type Config,
  type Database,
} from '../platform/index.ts'
import { grantRoleByEmail } from '../modules/accounts/index.ts'
import { modules } from '../modules/registry.ts'
import { openAndDescribeDatabase, startServer } from '../server.ts'
import { addImportCommand } from './import.command.ts'
import { addJobsCommand } from './jobs.command.ts'

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

  const audit = program
    .command('audit')
    .description('Check the tamper-evident audit trail of sign-ins, refused access and reads of personal records.')
  audit
    .command('verify')
    .description(
      'Recompute the audit trail’s hash chain and report the first broken link. ' +
        'Exits 0 when intact, 1 when broken, 2 when there is no audit trail to check.',
    )
    .option('--json', 'print the result as JSON ({ ok, checked, firstBroken }) instead of a sentence')
    .action(async (opts: { json?: boolean }) => {
      if (opts.json) process.env.LOG_LEVEL ??= 'error' // keep stdout to the JSON alone
      let exitCode = 0
      await withDatabase(async (database) => {
        try {
          const result = await verifyAuditChain(database.db)
          process.stdout.write(`${opts.json ? JSON.stringify(result) : describeAuditVerification(result)}\n`)
          if (!result.ok) exitCode = 1
        } catch (err) {
          if (!(err instanceof AuditTrailMissingError)) throw err
          process.stderr.write(`openchoice: ${err.message}\n`)
          exitCode = 2
        }
      })
      process.exitCode = exitCode // only after the database is closed: closing PGlite resets process.exitCode
    })

  addImportCommand(program, modules, (work) => withDatabase((database) => work(database)))
  addJobsCommand(program, modules, withDatabase)

  const accounts = program.command('accounts').description('Manage accounts from the machine the service runs on.')
  accounts
    .command('grant-role')
    .description(
      `Give the account with this email address a role (${ROLES.join(', ')}). ` +
        'This is how the first administrator is made; after that, administrators use the Manage accounts pages.',
    )
    .requiredOption('--email <email>', 'the email address the person signs in with')
    .requiredOption('--role <role>', 'the role to grant')
    .option('--scope <code>', 'where, for a scoped role: an organisation, regulator, local authority or council code')
    .action(async (opts: { email: string; role: string; scope?: string }) => {
      if (!isRole(opts.role)) {
        process.stderr.write(`openchoice: unknown role "${opts.role}". Roles: ${ROLES.join(', ')}\n`)
        process.exitCode = 2
        return
      }
      const role = opts.role
      let exitCode = 0
      await withDatabase(async (database) => {
        const result = await grantRoleByEmail(database.db, modules, { email: opts.email, role, scope: opts.scope })
        if (result.ok) process.stdout.write(`Granted the ${role} role.\n`)
        else {
          process.stderr.write(`openchoice: could not grant the role: ${result.reason}\n`)
          exitCode = 1
        }
      })
      process.exitCode = exitCode
    })

  return program
}

/** Runs a one-off command against the configured database and always closes it. */
async function withDatabase(work: (database: Database, log: Logger, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.logLevel)
  const database = await openAndDescribeDatabase(config, log)
  try {
    await work(database, log, config)
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
