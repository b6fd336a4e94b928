import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../db.ts'
import { platformModule } from '../platform.module.ts'
import { createTestDatabase, testDialects } from '../testing/index.ts'
import { ImportRejectedError, runImport, type ImportSource } from './import.ts'

// `headerStartsWith`: a title block of varying length before the header, as CQC's care directory has
// (../shared/data/cqc/LAYOUT.md). The rows here are made up for the test.
interface Row {
  name: string
  id: string
  line: number
}

function source(stored: Row[]): ImportSource<Row> {
  return {
    name: 'test-preamble',
    description: 'a file with a title block, for the import framework tests',
    layout: { kind: 'header', required: ['Name', 'Id'], headerStartsWith: 'Name' },
    parse(r, line) {
      if (!/^\d+$/.test(r['Id'] ?? '')) return { invalid: `"${r['Id']}" is not an id` }
      return { row: { name: r['Name']!, id: r['Id']!, line } }
    },
    key: (r) => r.id,
    async store(_trx, rows) {
      stored.push(...rows)
      return { inserted: rows.length, updated: 0, unchanged: 0 }
    },
  }
}

const TITLE = ['Some register,,', ',,', 'This data was produced on 16 September 2026,,', ',,']
const dir = mkdtempSync(join(tmpdir(), 'openchoice-preamble-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
function file(lines: string[]): string {
  const path = join(dir, `preamble-${++n}.csv`)
  writeFileSync(path, lines.join('\r\n') + '\r\n')
  return path
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase(dialect, [platformModule])
  })
  afterAll(async () => database?.close())

  it('operator imports a file whose header comes after a title block; rows keep their file line numbers', async () => {
    const stored: Row[] = []
    const summary = await runImport(
      database.db,
      source(stored),
      file([...TITLE, '', 'Name,Id,Note', 'Alpha,1,', 'Beta,2,"two\r\nlines"', 'Gamma,3,']),
    )
    expect(summary).toMatchObject({ records: 3, inserted: 3, rejected: 0 })
    expect(stored.map((r) => [r.name, r.line])).toEqual([
      ['Alpha', 7],
      ['Beta', 8],
      ['Gamma', 10],
    ])
  })

  it('finds the header however long the title block is, including none', async () => {
    for (const title of [[], TITLE.slice(0, 1), [...TITLE, ...TITLE]]) {
      const stored: Row[] = []
      const summary = await runImport(database.db, source(stored), file([...title, 'Name,Id', 'Alpha,1']))
      expect(summary).toMatchObject({ records: 1, inserted: 1 })
      expect(stored[0]!.line).toBe(title.length + 2)
    }
  })

  it('bad rows after a title block are listed by their line in the file', async () => {
    const error = await runImport(
      database.db,
      source([]),
      file([...TITLE, 'Name,Id', 'Alpha,1', 'Beta,x', 'Gamma']),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportRejectedError)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 7, reason: '"x" is not an id' },
      { line: 8, reason: 'the row has 1 columns, but the file has 2' },
    ])
  })

  it('a file with no line starting with the header is refused, not read as empty', async () => {
    const error = await runImport(database.db, source([]), file([...TITLE, 'Title,Id', 'Alpha,1'])).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ImportRejectedError)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 0, reason: 'the file has no header line (one that starts "Name")' },
    ])
  })

  it('a header found by its first cell still needs every required column', async () => {
    const error = await runImport(database.db, source([]), file([...TITLE, 'Name,Code', 'Alpha,1'])).catch(
      (e: unknown) => e,
    )
    expect((error as ImportRejectedError).bad).toEqual([{ line: 5, reason: 'the header has no "Id" column' }])
  })
})
