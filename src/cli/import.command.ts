import { statSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import {
  ImportRejectedError,
  runImport,
  type BadRecord,
  type Database,
  type ImportSource,
  type ImportSummary,
  type ModuleManifest,
} from '../platform/index.ts'

type WithDatabase = (work: (database: Database) => Promise<void>) => Promise<void>

/** A progress bar on standard error, only when it is a terminal: pipes and logs get no control characters. */
function progressBar(label: string): { update(done: number, total: number): void; end(): void } {
  if (!process.stderr.isTTY) return { update() {}, end() {} }
  let last = -1
  return {
    update(done, total) {
      const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : 100
      if (pct === last) return
      last = pct
      const width = 30
      const filled = Math.round((pct / 100) * width)
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}%`)
    },
    end() {
      process.stderr.write('\n')
    },
  }
}

function describe(s: ImportSummary): string {
  const skipped = Object.entries(s.skipped).map(([why, n]) => `${n} skipped (${why})`)
  return [
    `Imported ${s.file} (${s.encoding}${s.bom ? ' with BOM' : ''}): ${s.records} rows read, `,
    `${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected`,
    ...(s.vanished ? [`, ${s.vanished} no longer listed`] : []),
    ...(skipped.length ? [`; ${skipped.join(', ')}`] : []),
    '.',
  ].join('')
}

/** PostgreSQL's undefined_table (42P01), from pg or PGlite: the database has not been migrated. */
export function isUndefinedTable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '42P01'
}

function rejectsCsv(bad: BadRecord[]): string {
  return ['line,reason', ...bad.map((b) => `${b.line},"${b.reason.replace(/"/g, '""')}"`)].join('\n') + '\n'
}

/** `openchoice import <source> <file>`: every module's import sources, one sub-command. */
export function addImportCommand(program: Command, modules: readonly ModuleManifest[], withDatabase: WithDatabase) {
  const sources = new Map<string, ImportSource<unknown>>(
    modules.flatMap((m) => m.importSources ?? []).map((s) => [s.name, s]),
  )
  program
    .command('import')
    .description(
      'Import a published data file. A file with any bad row imports nothing and lists every bad row by line ' +
        `number. Sources: ${[...sources.keys()].join(', ')}.`,
    )
    .argument('<source>', 'what the file is')
    .argument('<file>', 'the file, as published')
    .option('--skip-invalid', 'import the good rows and write the bad ones to a report file')
    .option('--rejects <file>', 'where --skip-invalid writes the bad rows (default: <file>.rejects.csv)')
    .option('--json', 'print a JSON summary ({ inserted, updated, unchanged, rejected, ... }) as the last line')
    .action(async (name: string, file: string, opts: { skipInvalid?: boolean; rejects?: string; json?: boolean }) => {
      const source = sources.get(name)
      if (!source) {
        process.stderr.write(`openchoice: unknown source "${name}". Sources: ${[...sources.keys()].join(', ')}\n`)
        process.exitCode = 2
        return
      }
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) {
        process.stderr.write(`openchoice: there is no file at ${file}\n`)
        process.exitCode = 2
        return
      }
      if (opts.json) process.env.LOG_LEVEL ??= 'error'
      let exitCode = 0
      await withDatabase(async (database) => {
        const bar = progressBar(`${name}`)
        try {
          const summary = await runImport(database.db, source, file, {
            skipInvalid: Boolean(opts.skipInvalid),
            onProgress: bar.update,
          })
          bar.end()
          const { bad, ...rest } = summary
          if (bad.length) {
            const report = opts.rejects ?? `${file}.rejects.csv`
            writeFileSync(report, rejectsCsv(bad))
            process.stderr.write(`${bad.length} bad rows were left out; they are listed in ${report}\n`)
          }
          process.stdout.write(`${opts.json ? JSON.stringify(rest) : describe(summary)}\n`)
        } catch (err) {
          bar.end()
          if (isUndefinedTable(err)) {
            process.stderr.write(
              'openchoice: the database has no tables for this import: run `openchoice migrate` first\n',
            )
            exitCode = 2
            return
          }
          if (!(err instanceof ImportRejectedError)) throw err
          process.stderr.write(`openchoice: ${err.message}. Nothing was imported.\n`)
          for (const b of err.bad.slice(0, 100)) process.stderr.write(`  line ${b.line}: ${b.reason}\n`)
          if (err.bad.length > 100) process.stderr.write(`  … and ${err.bad.length - 100} more\n`)
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ source: name, imported: false, rejected: err.bad.length, bad: err.bad })}\n`,
            )
          }
          exitCode = 1
        }
      })
      process.exitCode = exitCode
    })
}
