import type { Command } from 'commander'
import type { Logger } from 'pino'
import { runJobsOnce, type Config, type Database, type JobsSummary, type ModuleManifest } from '../platform/index.ts'
import { isUndefinedTable } from './import.command.ts'

type WithDatabase = (work: (database: Database, log: Logger, config: Config) => Promise<void>) => Promise<void>

function describe(s: JobsSummary): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  return (
    `Ran ${plural(s.scheduled, 'scheduled job', 'scheduled jobs')} and delivered ` +
    `${plural(s.delivered, 'event', 'events')}; ${s.failed} failed` +
    (s.failed ? ' (see the log; failed deliveries are retried later)' : '') +
    '.'
  )
}

/**
 * `openchoice jobs run`: one pass of the jobs worker, for a cron job or a process that runs with
 * JOBS_INTERVAL_SECONDS=0. Safe alongside running servers: the work is claimed in the database.
 */
export function addJobsCommand(program: Command, modules: readonly ModuleManifest[], withDatabase: WithDatabase) {
  const jobs = program.command('jobs').description('Deliver events between modules and run scheduled jobs.')
  jobs
    .command('run')
    .description(
      'Run the scheduled jobs that are due and deliver every pending event once, then exit ' +
        '(the server does this every JOBS_INTERVAL_SECONDS). Exits 1 if a handler or job failed.',
    )
    .option('--json', 'print a JSON summary ({ delivered, failed, scheduled }) as the last line')
    .action(async (opts: { json?: boolean }) => {
      if (opts.json) process.env.LOG_LEVEL ??= 'error'
      let exitCode = 0
      await withDatabase(async (database, log, config) => {
        try {
          const summary = await runJobsOnce({ db: database.db, config, now: () => new Date(), log, modules })
          process.stdout.write(`${opts.json ? JSON.stringify(summary) : describe(summary)}\n`)
          if (summary.failed) exitCode = 1
        } catch (err) {
          if (!isUndefinedTable(err)) throw err
          process.stderr.write('openchoice: the database has no jobs tables: run `openchoice migrate` first\n')
          exitCode = 2
        }
      })
      process.exitCode = exitCode
    })
}
