import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { paths, runImport, ImportRejectedError, type Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { giasSource } from '../import/provider-sources.ts'
import { findProviderById, listProviderChanges, mayBeChosen } from '../providers.service.ts'
import { useDirectoryDatabase, serviceIdOf } from './factories.ts'

const GIAS = join(paths.data, 'gias/edubasealldata_extract_2021-05_sample.csv')
const dir = mkdtempSync(join(tmpdir(), 'openchoice-gias-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes rows back as CSV (every field quoted: a quoting style GIAS also uses in older extracts). */
function writeCsv(name: string, rows: string[][]): string {
  const file = join(dir, name)
  writeFileSync(file, rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n'))
  return file
}

const original = parse(readFileSync(GIAS), { bom: true }) as string[][]
const header = original[0]!
const col = (name: string) => header.indexOf(name)

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  it('imports every school in the GIAS sample, and importing it again changes nothing', async () => {
    const first = await runImport(database.db, giasSource, GIAS)
    expect(first).toMatchObject({ records: 69, inserted: 69, updated: 0, unchanged: 0, rejected: 0, vanished: 0 })
    const again = await runImport(database.db, giasSource, GIAS)
    expect(again).toMatchObject({ records: 69, inserted: 0, updated: 0, unchanged: 69, vanished: 0 })
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from directory.service_changes`.execute(
      database.db,
    )
    expect(rows[0]!.n).toBe(69) // one "listed" entry each, from the first import only
  })

  it('a newer file records what changed: closure, rating, and new and vanished schools', async () => {
    await runImport(database.db, giasSource, GIAS, { now: new Date('2026-11-01T00:00:00Z') })
    const openRows = original.flatMap((r, i) => (i > 0 && r[col('EstablishmentStatus (name)')] === 'Open' ? [i] : []))
    const [closingAt, reratedAt, droppedAt] = openRows as [number, number, number]
    const [closing, rerated, dropped] = [original[closingAt]!, original[reratedAt]!, original[droppedAt]!]
    const newer = original.map((r) => [...r])
    newer[closingAt]![col('EstablishmentStatus (name)')] = 'Closed'
    newer[closingAt]![col('CloseDate')] = '31-08-2021'
    newer[reratedAt]![col('OfstedRating (name)')] =
      rerated[col('OfstedRating (name)')] === 'Good' ? 'Outstanding' : 'Good'
    // A school that opens: a copy of a real open row under an unused URN (constructed for this test).
    const opened = [...original[openRows[3]!]!]
    opened[col('URN')] = '999001'
    opened[col('EstablishmentName')] = 'New Primary School'
    newer.splice(droppedAt, 1) // this school is no longer in the file
    newer.push(opened)

    const summary = await runImport(database.db, giasSource, writeCsv('newer.csv', newer), {
      now: new Date('2026-11-20T00:00:00Z'),
    })
    expect(summary).toMatchObject({ inserted: 1, updated: 2, unchanged: 66, vanished: 1 })

    const closedId = await serviceIdOf(database, 'gias', closing[col('URN')]!)
    const changes = await listProviderChanges(database.db, closedId)
    expect(changes.map((c) => [c.change, c.field, c.newValue])).toEqual(
      expect.arrayContaining([
        ['listed', null, null],
        ['updated', 'status', 'defunct'],
        ['updated', 'registration', 'cancelled'],
        ['updated', 'closed_on', '2021-08-31'],
      ]),
    )
    const closedProvider = (await findProviderById(database.db, closedId))!
    expect(mayBeChosen(closedProvider)).toEqual({ ok: false, reason: 'not-active' })

    const rerate = await listProviderChanges(database.db, await serviceIdOf(database, 'gias', rerated[col('URN')]!))
    expect(rerate.at(-1)).toMatchObject({ change: 'updated', field: 'rating' })

    const goneId = await serviceIdOf(database, 'gias', dropped[col('URN')]!)
    expect((await listProviderChanges(database.db, goneId)).at(-1)).toMatchObject({ change: 'unlisted' })
    expect(mayBeChosen((await findProviderById(database.db, goneId))!)).toEqual({ ok: false, reason: 'not-active' })
    const open = (await findProviderById(database.db, await serviceIdOf(database, 'gias', '999001')))!
    expect(mayBeChosen(open)).toEqual({ ok: true })
  })

  it('a file with a repeated URN or a truncated row imports nothing and lists each bad line', async () => {
    const duplicated = [...original, [...original[5]!]]
    const truncated = original.map((r, i) => (i === 10 ? r.slice(0, 20) : r))
    for (const [name, rows, line, reason] of [
      ['dup.csv', duplicated, 71, /appears more than once/],
      ['short.csv', truncated, 11, /the row has 20 columns, but the file has 139/],
    ] as const) {
      const error = await runImport(database.db, giasSource, writeCsv(name, rows as string[][])).catch((e) => e)
      expect(error).toBeInstanceOf(ImportRejectedError)
      expect(error.bad).toEqual([{ line, reason: expect.stringMatching(reason) }])
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from directory.services`.execute(database.db)
    expect(rows[0]!.n).toBe(0)
  })

  it('a header without a column the source needs is refused before any row is read', async () => {
    const without = original.map((r) => r.filter((_, i) => i !== col('EstablishmentStatus (name)')))
    const error = await runImport(database.db, giasSource, writeCsv('nostatus.csv', without)).catch((e) => e)
    expect(error).toBeInstanceOf(ImportRejectedError)
    expect(error.bad[0].reason).toBe('the header has no "EstablishmentStatus (name)" column')
  })

  it('reordered columns import the same (columns are found by their header)', async () => {
    const reversed = original.map((r) => [...r].reverse())
    const summary = await runImport(database.db, giasSource, writeCsv('reversed.csv', reversed))
    expect(summary.inserted).toBe(69)
  })
})
