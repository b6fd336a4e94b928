import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { sql } from 'kysely'
import type { AnyDb, Database } from '../db.ts'
import { platformModule } from '../platform.module.ts'
import { createTestDatabase, testDialects } from '../testing/index.ts'
import { ImportRejectedError, runImport, type BadRecord, type FileLayout, type ImportSource } from './import.ts'

// The framework under test, with a tiny source of its own: GIAS "links" rows (data/README.md, gias/), which DfE
// publishes as Windows-1252 with CRLF, every text field quoted. These are real rows of
// links_edubasealldata20250422.csv (file lines 2, 3, 4, 4577 and 5300; "à" and "°" are in the published bytes).
// Each test writes its own file from them, in the encoding, line endings or breakage it is about.
const HEADER = '"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"'
const CCFL = '100006,134643,"CCfL Key Stage 3 PRU","Predecessor - merged","01-01-2022"'
const RHYL = '100012,100021,"Rhyl Community Primary School","Successor - merged","31-08-2021"'
const KINGSGATE = '100016,132245,"Kingsgate Primary School","Successor",""'
const BECKET =
  '108299,138950,"St Thomas à Becket Catholic Secondary School, A Voluntary Academy","Successor","31-10-2012"'
const NORTH_STAR = '109401,148296,"North Star 82°","Successor","31-12-2020"'
// A real row (file line 11) of a kind this source leaves out on purpose.
const LASWAP = '100050,132838,"LaSWAP Sixth Form","Sixth Form Centre Link",""'
const ROWS = [CCFL, RHYL, KINGSGATE, BECKET, NORTH_STAR]

interface Link {
  urn: number
  link_urn: number
  link_name: string
  link_type: string
  established_on: string | null
}

/** Links by header name, or (positional) by the published column order. */
function linksSource(layout: FileLayout = { kind: 'header', required: ['URN', 'LinkURN', 'LinkName', 'LinkType'] }) {
  const order = ['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate']
  const field = (r: Record<string, string>, name: string) =>
    layout.kind === 'header' ? r[name] : r[String(order.indexOf(name))]
  const source: ImportSource<Link> = {
    name: 'test-links',
    description: 'GIAS links, for the import framework tests',
    layout,
    parse(r) {
      const [urn, linkUrn, name, type] = ['URN', 'LinkURN', 'LinkName', 'LinkType'].map((c) => field(r, c) ?? '')
      const established = field(r, 'LinkEstablishedDate') ?? ''
      if (!/^\d+$/.test(urn!)) return { invalid: `URN "${urn}" is not a number` }
      if (!/^\d+$/.test(linkUrn!)) return { invalid: `LinkURN "${linkUrn}" is not a number` }
      if (!name || !type) return { invalid: 'the link has no name or type' }
      if (!/^(?:\d{2}-\d{2}-\d{4})?$/.test(established)) return { invalid: `"${established}" is not a date` }
      if (type === 'Sixth Form Centre Link') return { skip: 'a sixth form centre link' }
      return {
        row: { urn: +urn!, link_urn: +linkUrn!, link_name: name, link_type: type, established_on: established || null },
      }
    },
    key: (row) => `${row.urn}>${row.link_urn}`,
    async store(trx: AnyDb, rows) {
      const { rows: written } = await sql<{ inserted: boolean }>`
        insert into import_test.links (urn, link_urn, link_name, link_type, established_on)
        values ${sql.join(rows.map((r) => sql`(${r.urn}, ${r.link_urn}, ${r.link_name}, ${r.link_type}, ${r.established_on})`))}
        on conflict (urn, link_urn) do update
           set link_name = excluded.link_name, link_type = excluded.link_type, established_on = excluded.established_on
         where (links.link_name, links.link_type, links.established_on)
               is distinct from (excluded.link_name, excluded.link_type, excluded.established_on)
        returning (xmax = 0) as inserted`.execute(trx)
      const inserted = written.filter((w) => w.inserted).length
      return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length }
    },
    async finish(trx: AnyDb, _run, keys) {
      const { rows } = await sql<{ key: string }>`
        select urn || '>' || link_urn as key from import_test.links`.execute(trx)
      return { vanished: rows.filter((r) => !keys.has(r.key)).length }
    },
  }
  return source
}

const links = linksSource()
const dir = mkdtempSync(join(tmpdir(), 'openchoice-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileNumber = 0
/** Writes a fixture file into the temp dir: text as UTF-8, or exact bytes. */
function file(content: string | Buffer, name = `links-${++fileNumber}.csv`): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** Lines joined as a published file: CRLF (as GIAS) unless told, ending with a line break unless told. */
function csv(lines: string[], { eol = '\r\n', lastBreak = true } = {}): string {
  return lines.join(eol) + (lastBreak ? eol : '')
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** What the import was rejected for: every bad record, in file order. */
async function rejection(promise: Promise<unknown>): Promise<BadRecord[]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ImportRejectedError)
  return (err as ImportRejectedError).bad
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  const stored = async (): Promise<Link[]> =>
    (await sql<Link>`select * from import_test.links order by urn, link_urn`.execute(database.db)).rows
  const storedNames = async () => (await stored()).map((l) => l.link_name)

  beforeAll(async () => {
    database = await createTestDatabase(dialect, [platformModule])
    await sql`create schema import_test`.execute(database.db)
    await sql`create table import_test.links (
      urn integer not null, link_urn integer not null, link_name text not null, link_type text not null,
      established_on text, primary key (urn, link_urn))`.execute(database.db)
  })
  afterAll(async () => database?.close())
  beforeEach(async () => {
    await sql`truncate import_test.links`.execute(database.db)
  })

  describe('encodings and line endings', () => {
    it('operator imports a UTF-8 file with a byte order mark (Excel "CSV UTF-8")', async () => {
      const summary = await runImport(
        database.db,
        links,
        file(Buffer.concat([BOM, Buffer.from(csv([HEADER, ...ROWS]))])),
      )
      expect(summary).toMatchObject({ encoding: 'utf-8', bom: true, records: 5, inserted: 5, rejected: 0 })
      // Had the BOM stayed on the first header name, "URN" would be missing from the header.
      expect(await storedNames()).toContain('St Thomas à Becket Catholic Secondary School, A Voluntary Academy')
      expect(await storedNames()).toContain('North Star 82°')
    })

    it('operator imports a UTF-8 file without a byte order mark', async () => {
      const summary = await runImport(database.db, links, file(csv([HEADER, ...ROWS])))
      expect(summary).toMatchObject({ encoding: 'utf-8', bom: false, records: 5, inserted: 5 })
      expect(await storedNames()).toContain('North Star 82°')
    })

    it('operator imports a Windows-1252 file as DfE publishes it, and every character comes through', async () => {
      // Constructed: the real rows encoded as Windows-1252 (as in the published file: à = E0, ° = B0), plus the
      // real row of file line 67 with its apostrophe turned into ’, which Windows-1252 writes as the byte 92: the
      // range where Windows-1252 and ISO-8859-1 differ.
      const stMarys = `100172,144091,"St Mary’s Catholic Primary School","Successor","31-03-2017"`
      const bytes = iconv.encode(csv([HEADER, ...ROWS, stMarys]), 'win1252')
      expect(bytes.includes(Buffer.from([0x92]))).toBe(true)
      expect(bytes.includes(Buffer.from('à'))).toBe(false) // not UTF-8
      const summary = await runImport(database.db, links, file(bytes))
      expect(summary).toMatchObject({ encoding: 'windows-1252', bom: false, records: 6, inserted: 6 })
      expect(await storedNames()).toEqual(
        expect.arrayContaining([
          'St Thomas à Becket Catholic Secondary School, A Voluntary Academy',
          'North Star 82°',
          'St Mary’s Catholic Primary School',
        ]),
      )
    })

    it('finds Windows-1252 from one byte far into the file, not just from the first block read', async () => {
      // Constructed: 3,000 ASCII rows numbered from CCfL's (about 200 kB, several read blocks), then St Thomas à Becket.
      const ascii = Array.from({ length: 3000 }, (_, i) => `${200000 + i},134643,"CCfL Key Stage 3 PRU","Successor",""`)
      const path = file(iconv.encode(csv([HEADER, ...ascii, BECKET]), 'win1252'))
      expect(statSync(path).size).toBeGreaterThan(150_000)
      const summary = await runImport(database.db, links, path)
      expect(summary).toMatchObject({ encoding: 'windows-1252', records: 3001, inserted: 3001 })
      expect(await storedNames()).toContain('St Thomas à Becket Catholic Secondary School, A Voluntary Academy')
    })

    it('reads CRLF and LF files alike: the same rows, with no carriage return left on the last value', async () => {
      const lf = await runImport(database.db, links, file(csv([HEADER, ...ROWS], { eol: '\n' })))
      expect(lf).toMatchObject({ records: 5, inserted: 5 })
      const crlf = await runImport(database.db, links, file(csv([HEADER, ...ROWS], { eol: '\r\n', lastBreak: false })))
      expect(crlf).toMatchObject({ records: 5, inserted: 0, updated: 0, unchanged: 5 })
      const rhyl = (await stored()).find((l) => l.urn === 100012)
      expect(rhyl?.established_on).toBe('31-08-2021')
    })

    it('reports progress in bytes of the file, ending at its size, even when decoding makes the text longer', async () => {
      // à and ° are one byte each in the file and two once decoded to UTF-8.
      const path = file(iconv.encode(csv([HEADER, ...ROWS]), 'win1252'))
      const seen: [number, number][] = []
      await runImport(database.db, links, path, { onProgress: (done, total) => seen.push([done, total]) })
      const size = statSync(path).size
      expect(seen.length).toBeGreaterThan(0)
      expect(seen.every(([done, total]) => total === size && done <= size)).toBe(true)
      expect(seen.at(-1)![0]).toBe(size)
    })
  })

  describe('quoting and layout', () => {
    it('keeps embedded commas, doubled quotes and line breaks inside quoted values', async () => {
      // Constructed from Kingsgate's row: a name with a comma, a quoted word and a line break in it.
      const tricky = '100016,132245,"Kingsgate ""Primary"" School, Kilburn\r\nLondon NW6","Successor",""'
      const summary = await runImport(database.db, links, file(csv([HEADER, CCFL, tricky, BECKET])))
      expect(summary).toMatchObject({ records: 3, inserted: 3 })
      expect(await storedNames()).toContain('Kingsgate "Primary" School, Kilburn\r\nLondon NW6')
    })

    it('counts lines as an editor does after a value with a line break in it (CRLF or LF) and after blank lines', async () => {
      const truncated = '100021,100012,"Carlton Primary School"' // file line 6, cut after its third column
      for (const eol of ['\r\n', '\n']) {
        const tricky = `100016,132245,"Kingsgate Primary School${eol}(Kilburn)","Successor",""`
        // Lines: 1 header, 2 CCfL, 3–4 Kingsgate, 5 the truncated row.
        const bad = await rejection(
          runImport(database.db, links, file(csv([HEADER, CCFL, tricky, truncated], { eol }))),
        )
        expect(bad).toEqual([{ line: 5, reason: 'the row has 3 columns, but the file has 5' }])
      }
      // Lines: 1 header, 2 CCfL, 3 blank, 4 Rhyl, 5 blank, 6 the truncated row.
      const blanks = await rejection(runImport(database.db, links, file(csv([HEADER, CCFL, '', RHYL, '', truncated]))))
      expect(blanks.map((b) => b.line)).toEqual([6])
    })

    it('reads columns by header name, so a file with its columns in another order imports the same', async () => {
      await runImport(database.db, links, file(csv([HEADER, ...ROWS])))
      const expected = await stored()
      await sql`truncate import_test.links`.execute(database.db)
      const reorder = (line: string) => {
        const [urn, linkUrn, rest] = [line.slice(0, 6), line.slice(7, 13), line.slice(14)]
        const [name, type, date] = rest.split(/,(?=")/)
        return [date, name, linkUrn, type, urn].join(',')
      }
      const reordered = csv(['"LinkEstablishedDate","LinkName","LinkURN","LinkType","URN"', ...ROWS.map(reorder)])
      expect(reordered).toContain(
        '"31-10-2012","St Thomas à Becket Catholic Secondary School, A Voluntary Academy",138950',
      )
      const summary = await runImport(database.db, links, file(reordered))
      expect(summary).toMatchObject({ records: 5, inserted: 5 })
      expect(await stored()).toEqual(expected)
    })

    it('imports a headerless file by column position, and rejects a row of the wrong width', async () => {
      const positional = linksSource({ kind: 'positional', columns: 5 })
      expect(await runImport(database.db, positional, file(csv(ROWS)))).toMatchObject({ records: 5, inserted: 5 })
      const bad = await rejection(runImport(database.db, positional, file(csv([CCFL, `${RHYL},""`]))))
      expect(bad).toEqual([{ line: 2, reason: 'the row has 6 columns, but the file has 5' }])
    })
  })

  describe('bad files import nothing', () => {
    it('rejects a truncated row with its line number, and undoes the rows already stored before it', async () => {
      const truncated = '100012,100021,"Rhyl Community Primary School"'
      // batchSize 1: CCfL is stored before the truncated row is read, so the rollback is what removes it.
      const bad = await rejection(
        runImport(database.db, links, file(csv([HEADER, CCFL, truncated, KINGSGATE])), { batchSize: 1 }),
      )
      expect(bad).toEqual([{ line: 3, reason: 'the row has 3 columns, but the file has 5' }])
      expect(await stored()).toEqual([])
    })

    it('rejects a header without a column the source needs, naming the column', async () => {
      const header = '"URN","LinkURN","LinkName","LinkEstablishedDate"'
      const rows = ROWS.map((r) => r.replace(/,"[^"]*"(,"[^"]*")$/, '$1'))
      const bad = await rejection(runImport(database.db, links, file(csv([header, ...rows]))))
      expect(bad).toEqual([{ line: 1, reason: 'the header has no "LinkType" column' }])
      expect(await stored()).toEqual([])
    })

    it('rejects a key that appears twice, at the line of the second', async () => {
      const bad = await rejection(runImport(database.db, links, file(csv([HEADER, CCFL, RHYL, KINGSGATE, RHYL]))))
      expect(bad).toEqual([{ line: 5, reason: '100012>100021 appears more than once in the file' }])
      expect(await stored()).toEqual([])
    })

    it('rejects an empty file, and a file with only its header', async () => {
      expect(await rejection(runImport(database.db, links, file('')))).toEqual([
        { line: 0, reason: 'the file is empty' },
      ])
      expect(await rejection(runImport(database.db, links, file(csv([HEADER]))))).toEqual([
        { line: 0, reason: 'the file has no rows' },
      ])
      expect(await rejection(runImport(database.db, links, file(Buffer.concat([BOM, Buffer.from(HEADER)]))))).toEqual([
        { line: 0, reason: 'the file has no rows' },
      ])
    })

    it('rejects a file cut short inside a quoted value, at the line where the value opens', async () => {
      const cut = csv([HEADER, CCFL, RHYL, '109401,148296,"North Sta'], { lastBreak: false })
      const bad = await rejection(runImport(database.db, links, file(cut), { batchSize: 1 }))
      expect(bad).toEqual([{ line: 4, reason: 'a quoted value is never closed (the file may be cut short)' }])
      expect(await stored()).toEqual([])
      // An unclosed quote part way through swallows the rest of the file: the report points to where it opened.
      const early = csv([HEADER, CCFL, '100012,100021,"Rhyl Community Primary School,"Successor - merged",""', ...ROWS])
      expect(await rejection(runImport(database.db, links, file(early)))).toEqual([
        { line: 3, reason: expect.stringMatching(/quote/) },
      ])
    })

    it('lists every bad row, not just the first', async () => {
      const bad = await rejection(
        runImport(
          database.db,
          links,
          file(csv([HEADER, 'x100006,134643,"CCfL","Successor",""', RHYL, '100016,132245'])),
        ),
      )
      expect(bad).toEqual([
        { line: 2, reason: 'URN "x100006" is not a number' },
        { line: 4, reason: 'the row has 2 columns, but the file has 5' },
      ])
    })
  })

  describe('summary counts and --skip-invalid', () => {
    it('with skipInvalid, imports the good rows and returns the bad ones with their line numbers', async () => {
      const content = csv([
        HEADER,
        CCFL,
        '100012,100021,"Rhyl"',
        KINGSGATE,
        '100016,132245,"Dup","Successor",""',
        BECKET,
      ])
      const summary = await runImport(database.db, links, file(content), { skipInvalid: true })
      expect(summary).toMatchObject({ records: 5, inserted: 3, rejected: 2 })
      expect(summary.bad).toEqual([
        { line: 3, reason: 'the row has 3 columns, but the file has 5' },
        { line: 5, reason: '100016>132245 appears more than once in the file' },
      ])
      expect((await stored()).map((l) => l.urn)).toEqual([100006, 100016, 108299])
    })

    it('counts inserted, updated, unchanged, skipped and vanished truthfully, and leaves unchanged rows untouched', async () => {
      const first = await runImport(database.db, links, file(csv([HEADER, ...ROWS, LASWAP])))
      expect(first).toMatchObject({ records: 6, inserted: 5, updated: 0, unchanged: 0, rejected: 0, vanished: 0 })
      expect(first.skipped).toEqual({ 'a sixth form centre link': 1 })
      const versions = async () =>
        (
          await sql<{
            urn: number
            v: string
          }>`select urn, xmin::text as v from import_test.links order by urn`.execute(database.db)
        ).rows

      const before = await versions()
      const again = await runImport(database.db, links, file(csv([HEADER, ...ROWS, LASWAP])))
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, vanished: 0 })
      expect(await versions()).toEqual(before) // not rewritten: same row versions

      // Rhyl's date changes, North Star is no longer listed, and a new link appears (file line 67, real).
      const next = [CCFL, RHYL.replace('31-08-2021', '01-09-2021'), KINGSGATE, BECKET]
      const stMarys = `100172,144091,"St Mary's Catholic Primary School","Successor","31-03-2017"`
      const changed = await runImport(database.db, links, file(csv([HEADER, ...next, stMarys])))
      expect(changed).toMatchObject({ records: 5, inserted: 1, updated: 1, unchanged: 3, rejected: 0, vanished: 1 })
      const after = await versions()
      const version = (rows: { urn: number; v: string }[], urn: number) => rows.find((r) => r.urn === urn)?.v
      expect(version(after, 100006)).toBe(version(before, 100006))
      expect(version(after, 100012)).not.toBe(version(before, 100012))
    })
  })
})
