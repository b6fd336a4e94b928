import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { CsvError, parse } from 'csv-parse'
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
  return summary
}

function describeCsvError(err: CsvError): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted value is never closed (the file may be cut short)'
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a quote inside a value is not doubled'
  return `the file is not valid CSV (${err.code})`
}

/** The file's records with their line numbers; each header-laid-out record keyed by column name. */
async function* records<Row>(
  path: string,
  encoding: FileEncoding,
  source: ImportSource<Row>,
  onProgress: ImportOptions['onProgress'],
  size: number,
): AsyncGenerator<{ record: Record<string, string>; line: number } | { problem: string; line: number }> {
  const text = readText(path, encoding)
  let read = 0
  if (onProgress) text.on('data', (chunk: string) => onProgress((read += Buffer.byteLength(chunk)), size))
  const parser = text.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }),
  )
  let header: string[] | undefined
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = info.lines
    if (source.layout.kind === 'header' && !header) {
      header = record.map((h) => h.trim())
      const missing = source.layout.required.filter((c) => !header!.includes(c))
      if (missing.length) {
        throw new ImportRejectedError(source.name, [
          { line, reason: `the header has no ${missing.map((c) => `"${c}"`).join(', ')} column` },
        ])
      }
      continue
    }
    const width = header?.length ?? (source.layout as { columns: number }).columns
    if (record.length !== width) {
      // A truncated row (or one with stray commas) is bad as a whole: its values cannot be trusted by position.
      yield { problem: `the row has ${record.length} columns, but the file has ${width}`, line }
      continue
    }
    yield {
      record: Object.fromEntries((header ?? record.map((_, i) => String(i))).map((h, i) => [h, record[i]!])),
      line,
    }
  }
}
