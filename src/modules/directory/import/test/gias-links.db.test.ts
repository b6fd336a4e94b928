import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { paths, runImport, ImportRejectedError, type Database } from '../../../../platform/index.ts'
import { testDialects } from '../../../../platform/testing/index.ts'
import { giasLinksSource } from '../gias-links.ts'
import { giasSource } from '../provider-sources.ts'
import { schoolLinks } from '../../school-links.queries.ts'
import { useDirectoryDatabase, countRows } from '../../test/factories.ts'

// The real GIAS links file (data/README.md): 20,044 links, Windows-1252, CRLF, text quoted and URNs bare.
const LINKS = join(paths.data, 'gias/links_edubasealldata20250422_urn_lt_135000.csv')
const SCHOOLS = join(paths.data, 'gias/edubasealldata_extract_2021-05_sample.csv')
const dir = mkdtempSync(join(tmpdir(), 'openchoice-gias-links-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Windows-1252 and Latin-1 agree on every byte this file holds ("à" and "°"), so its lines round-trip as latin1.
const lines = readFileSync(LINKS, 'latin1').split('\r\n')
function writeLinks(name: string, fileLines: string[]): string {
  const path = join(dir, name)
  writeFileSync(path, fileLines.join('\r\n'), 'latin1')
  return path
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  it('operator imports the real GIAS links file: every link, its Windows-1252 names intact', async () => {
    const summary = await runImport(database.db, giasLinksSource, LINKS)
    expect(summary).toMatchObject({
      encoding: 'windows-1252',
      records: 20_044,
      inserted: 20_044,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      skipped: {},
    })
    expect(await countRows(database, 'directory.school_links')).toBe(20_044)
    const { rows } = await sql<{ link_type: string; n: number; undated: number }>`
      select link_type, count(*)::int as n, count(*) filter (where link_established_on is null)::int as undated
        from directory.school_links group by link_type order by n desc`.execute(database.db)
    expect(rows).toHaveLength(16)
    expect(rows.slice(0, 2).map((r) => [r.link_type, r.n])).toEqual([
      ['Successor', 15_457],
      ['Predecessor', 3_955],
    ])
    expect(rows.reduce((n, r) => n + r.undated, 0)).toBe(7_742)
    // URNs the directory does not hold are kept (no school from the GIAS sample has been imported here).
    expect(await schoolLinks(database.db, 108299)).toEqual([
      {
        linkedUrn: 138950,
        linkedName: 'St Thomas à Becket Catholic Secondary School, A Voluntary Academy',
        linkType: 'Successor',
        establishedOn: new Date('2012-10-31T00:00:00Z'),
        providerId: null,
      },
    ])
  })

  it('importing it again changes nothing, and a newer file updates only the link that changed', async () => {
    await runImport(database.db, giasLinksSource, LINKS, { now: new Date('2026-10-01T00:00:00Z') })
    const again = await runImport(database.db, giasLinksSource, LINKS, { now: new Date('2026-11-01T00:00:00Z') })
    expect(again).toMatchObject({ records: 20_044, inserted: 0, updated: 0, unchanged: 20_044 })
    const { rows: times } = await sql<{ at: Date }>`
      select distinct imported_at as at from directory.school_links`.execute(database.db)
    expect(times.map((t) => t.at)).toEqual([new Date('2026-10-01T00:00:00Z')]) // nothing was rewritten

    // Line 4 is Kingsgate Junior (100016) → Kingsgate Primary (132245), "Successor", with no date.
    expect(lines[3]).toBe('100016,132245,"Kingsgate Primary School","Successor",""')
    const dated = [lines[0]!, lines[1]!, lines[2]!, '100016,132245,"Kingsgate Primary School","Successor","01-09-2000"']
    const newer = await runImport(database.db, giasLinksSource, writeLinks('newer.csv', dated), {
      now: new Date('2026-11-20T00:00:00Z'),
    })
    expect(newer).toMatchObject({ records: 3, inserted: 0, updated: 1, unchanged: 2 })
    expect(await schoolLinks(database.db, 100016)).toMatchObject([
      { linkedUrn: 132245, establishedOn: new Date('2000-09-01T00:00:00Z') },
    ])
    expect(await countRows(database, 'directory.school_links')).toBe(20_044) // a link the newer (shorter) file leaves out stays
  })

  it('a truncated row is rejected with its line number, and nothing is stored', async () => {
    const cut = [...lines]
    expect(cut[4999]).toMatch(/^\d{6},\d{6},"/) // file line 5000, a real link
    cut[4999] = cut[4999]!.split(',').slice(0, 3).join(',')
    const error = await runImport(database.db, giasLinksSource, writeLinks('truncated.csv', cut)).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ImportRejectedError)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 5000, reason: 'the row has 3 columns, but the file has 5' },
    ])
    expect(await countRows(database, 'directory.school_links')).toBe(0)
  })

  it('a file cut short inside its last row is rejected at that line, and nothing is stored', async () => {
    const last = lines.findLastIndex((l) => l !== '')
    const cut = [...lines.slice(0, last), lines[last]!.slice(0, 25)]
    expect(cut.at(-1)).toMatch(/^\d{6},\d{6},"[^"]+$/)
    const error = await runImport(database.db, giasLinksSource, writeLinks('cut.csv', cut)).catch((e: unknown) => e)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 20_045, reason: 'a quoted value is never closed (the file may be cut short)' },
    ])
    expect(await countRows(database, 'directory.school_links')).toBe(0)
  })

  it('links that make no sense are bad rows: a school linked to itself, an impossible date', async () => {
    const bad = [lines[0]!, '100016,100016,"Kingsgate Junior School","Successor",""', lines[2]!]
    bad.push('100017,132245,"Kingsgate Primary School","Successor","31-02-2000"')
    const error = await runImport(database.db, giasLinksSource, writeLinks('bad.csv', bad)).catch((e: unknown) => e)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 2, reason: 'school 100016 is linked to itself' },
      { line: 4, reason: '"31-02-2000" in LinkEstablishedDate is not a date' },
    ])
  })

  it('a school’s page can link to its predecessor when the directory holds it', async () => {
    await runImport(database.db, giasSource, SCHOOLS)
    await runImport(database.db, giasLinksSource, LINKS)
    const { rows } = await sql<{ id: string }>`
      select id from directory.services where source = 'gias' and source_ref = '100024'`.execute(database.db)
    // Torriano Primary (100023) was preceded by Torriano Infant (100024), which closed in 2015.
    expect(await schoolLinks(database.db, 100023)).toEqual([
      {
        linkedUrn: 100024,
        linkedName: 'Torriano Infant School',
        linkType: 'Predecessor',
        establishedOn: new Date('2015-09-15T00:00:00Z'),
        providerId: rows[0]!.id,
      },
    ])
  })
})
