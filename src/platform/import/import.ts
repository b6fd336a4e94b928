import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { CsvError, parse, type Options } from 'csv-parse'
import type { AnyDb } from '../db.ts'
import { detectEncoding, readText, type FileEncoding } from './decode.ts'

/** What one record of a file turned into: a row to store, a row to leave out on purpose, or a reason it is bad. */
export type RecordResult<Row> = { row: Row } | { skip: string } | { invalid: string }

/** How a source's file is laid out: a header row naming its columns, or columns by position with no header. */
export type FileLayout =
  | {
      kind: 'header'
      /** Columns every row needs, by their header name; checked once, against the header. */
      required: readonly string[]
      /**
       * The header is the first line whose first cell is this; the lines before it (a title block whose length
       * varies between releases, as in CQC's care directory) are skipped. Without it, the first line is the header.
       */
      headerStartsWith?: string
    }
  | { kind: 'positional'; columns: number }

export interface ImportCounts {
  inserted: number
  updated: number
  unchanged: number
}

/** One kind of file `openchoice import <source> <file>` understands. */
export interface ImportSource<Row> {
  name: string
  description: string
  layout: FileLayout
  /** Validates one record (by header name, or by position) and says what to do with it. */
  parse(record: Record<string, string>, line: number): RecordResult<Row>
  /** What makes a row unique in the file; the same key twice is a bad row (a duplicate id). */
  key(row: Row): string
  /** Stores a batch of good rows inside the import's transaction; an unchanged row must not be rewritten. */
  store(trx: AnyDb, rows: Row[], run: ImportRun): Promise<ImportCounts>
  /** After the last batch, inside the same transaction: for example, record providers the file no longer lists. */
  finish?(trx: AnyDb, run: ImportRun, keys: ReadonlySet<string>): Promise<Partial<ImportCounts> & { vanished?: number }>
  /** After the import has committed, on the database itself: refresh planner statistics, forget cached counts. */
  afterCommit?(db: AnyDb): Promise<void>
}

/** Facts about the import in progress that stored rows may record (the source file, when it was imported). */
export interface ImportRun {
  source: string
  fileName: string
  fileSha256: string
  startedAt: Date
}

export interface BadRecord {
  line: number
  reason: string
}

export interface ImportSummary extends ImportCounts {
  source: string
  file: string
  encoding: FileEncoding
  bom: boolean
  /** Records read from the file, after the header. */
  records: number
  rejected: number
  /** Records left out on purpose, counted by reason (an LA total row, a closed practice). */
  skipped: Record<string, number>
  vanished: number
}

/** A file with bad records: nothing was imported. Every bad record is listed with its line number. */
export class ImportRejectedError extends Error {
  constructor(
    readonly source: string,
    readonly bad: BadRecord[],
  ) {
    super(
      bad.length === 1 && bad[0]!.line === 0
        ? `The ${source} file was not imported: ${bad[0]!.reason}`
        : `The ${source} file was not imported: ${bad.length} bad ${bad.length === 1 ? 'row' : 'rows'}`,
    )
  }
}

export interface ImportOptions {
  /** Import the good rows and return the bad ones in the summary instead of importing nothing. */
  skipInvalid?: boolean
  /** Called as the file is read, with bytes read so far and the file's size (for a progress bar). */
  onProgress?: (bytesRead: number, totalBytes: number) => void
  batchSize?: number
  now?: Date
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk)
  return hash.digest('hex')
}

class Rollback extends Error {}

/**
 * Imports one file: streamed, validated record by record, stored in batches inside one transaction. A file with
 * any bad record imports nothing (the transaction is rolled back) unless `skipInvalid` is set; either way every
 * bad record comes back with its line number and reason.
 */
export async function runImport<Row>(
  db: AnyDb,
  source: ImportSource<Row>,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportSummary & { bad: BadRecord[] }> {
  const { size } = await stat(path)
  const detected = await detectEncoding(path)
  const run: ImportRun = {
    source: source.name,
    fileName: basename(path),
    fileSha256: await sha256Of(path),
    startedAt: opts.now ?? new Date(),
  }
  const summary: ImportSummary & { bad: BadRecord[] } = {
    source: source.name,
    file: run.fileName,
    ...detected,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skipped: {},
    vanished: 0,
    bad: [],
  }
  if (size === 0) throw new ImportRejectedError(source.name, [{ line: 0, reason: 'the file is empty' }])

  const add = (counts: Partial<ImportCounts>) => {
    summary.inserted += counts.inserted ?? 0
    summary.updated += counts.updated ?? 0
    summary.unchanged += counts.unchanged ?? 0
  }
  try {
    await db.transaction().execute(async (trx) => {
      const keys = new Set<string>()
      let batch: Row[] = []
      const flush = async () => {
        if (batch.length) add(await source.store(trx, batch, run))
        batch = []
      }
      for await (const read of records(path, detected.encoding, source, opts.onProgress, size)) {
        summary.records++
        const { line } = read
        if ('problem' in read) {
          summary.bad.push({ line, reason: read.problem })
          continue
        }
        const result = source.parse(read.record, line)
        if ('skip' in result) {
          summary.skipped[result.skip] = (summary.skipped[result.skip] ?? 0) + 1
          continue
        }
        if ('invalid' in result) {
          summary.bad.push({ line, reason: result.invalid })
          continue
        }
        const key = source.key(result.row)
        if (keys.has(key)) {
          summary.bad.push({ line, reason: `${key} appears more than once in the file` })
          continue
        }
        keys.add(key)
        batch.push(result.row)
        if (batch.length >= (opts.batchSize ?? 500)) await flush()
      }
      await flush()
      if (summary.records === 0) summary.bad.push({ line: 0, reason: 'the file has no rows' })
      summary.rejected = summary.bad.length
      if (summary.bad.length && !opts.skipInvalid) throw new Rollback()
      if (summary.records === 0) throw new Rollback()
      const finished = await source.finish?.(trx, run, keys)
      if (finished) {
        add(finished)
        summary.vanished = finished.vanished ?? 0
      }
    })
  } catch (err) {
    if (err instanceof Rollback) throw new ImportRejectedError(source.name, summary.bad)
    if (err instanceof CsvError) {
      throw new ImportRejectedError(source.name, [{ line: Number(err.lines ?? 0), reason: describeCsvError(err) }])
    }
    throw err
  }
  await source.afterCommit?.(db)
  return summary
}

function describeCsvError(err: CsvError): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted value is never closed (the file may be cut short)'
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quote inside a value is not doubled'
  if (err.code === 'INVALID_OPENING_QUOTE') return 'a value that is not quoted has a quote in it'
  return `the file is not valid CSV (${err.code})`
}

// Line breaks inside a quoted value, as an editor counts them: CRLF is one.
const LINE_BREAK = /\r\n|\r|\n/g

/**
 * Numbers records by the line each starts on, as an editor shows it. csv-parse's `info.lines` is the line a record
 * ends on, and it counts a CRLF inside a quoted value as two lines; its `empty_lines` counts the blank lines skipped.
 */
class LineCounter {
  private next = 1
  private lines = 0
  private empty = 0

  startOf(record: string[], info: { lines: number; empty_lines: number }): number {
    const skipped = info.empty_lines - this.empty
    const start = this.next + skipped
    let span = info.lines - this.lines - skipped
    if (span > 1) span = 1 + record.reduce((n, value) => n + (value.match(LINE_BREAK)?.length ?? 0), 0)
    this.next = start + span
    this.lines = info.lines
    this.empty = info.empty_lines
    return start
  }

  /** Where the record that could not be parsed starts. */
  startOfBroken(err: CsvError): number {
    return this.next + (typeof err.empty_lines === 'number' ? err.empty_lines - this.empty : 0)
  }
}

/** The file's records with their line numbers; each header-laid-out record keyed by column name. */
async function* records<Row>(
  path: string,
  encoding: FileEncoding,
  source: ImportSource<Row>,
  onProgress: ImportOptions['onProgress'],
  size: number,
): AsyncGenerator<{ record: Record<string, string>; line: number } | { problem: string; line: number }> {
  let read = 0
  const text = readText(path, encoding, onProgress && ((bytes) => onProgress((read += bytes), size)))
  const lines = new LineCounter()
  // Numbered in on_record, as csv-parse reads each record: a parse error discards the records it had read but not
  // yet handed over, so the count must not wait for them.
  const options: Options<{ record: string[]; line: number }, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    on_record: (record, info) => ({ record, line: lines.startOf(record, info) }),
  }
  const parser = parse(options as unknown as Options) // csv-parse types on_record as returning a record
  text.on('error', (err) => parser.destroy(err))
  text.pipe(parser)
  let names: string[] | undefined =
    source.layout.kind === 'positional' ? Array.from({ length: source.layout.columns }, (_, i) => String(i)) : undefined
  const preamble = source.layout.kind === 'header' ? source.layout.headerStartsWith : undefined
  try {
    for await (const { record, line } of parser as AsyncIterable<{ record: string[]; line: number }>) {
      if (!names) {
        if (preamble && record[0]?.trim() !== preamble) continue
        names = record.map((h) => h.trim())
        const missing = (source.layout as { required: readonly string[] }).required.filter((c) => !names!.includes(c))
        if (missing.length) {
          throw new ImportRejectedError(source.name, [
            { line, reason: `the header has no ${missing.map((c) => `"${c}"`).join(', ')} column` },
          ])
        }
        continue
      }
      if (record.length !== names.length) {
        // A truncated row (or one with stray commas) is bad as a whole: its values cannot be trusted by position.
        yield { problem: `the row has ${record.length} columns, but the file has ${names.length}`, line }
        continue
      }
      // A loop, not Object.fromEntries: several times faster for wide files, and every record goes through here.
      const keyed: Record<string, string> = {}
      for (let i = 0; i < names.length; i++) keyed[names[i]!] = record[i]!
      yield { record: keyed, line }
    }
    if (!names && preamble) {
      throw new ImportRejectedError(source.name, [
        { line: 0, reason: `the file has no header line (one that starts "${preamble}")` },
      ])
    }
  } catch (err) {
    if (err instanceof CsvError) {
      throw new ImportRejectedError(source.name, [{ line: lines.startOfBroken(err), reason: describeCsvError(err) }])
    }
    throw err
  } finally {
    // Stopped early (a bad header, a failed store): close the file now rather than when it is collected.
    text.destroy()
  }
}
