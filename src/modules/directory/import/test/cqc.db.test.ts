import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { runImport, ImportRejectedError, type Database } from '../../../../platform/index.ts'
import { testDialects } from '../../../../platform/testing/index.ts'
import { findProviderById, listProviderChanges, mayBeChosen } from '../../providers.service.ts'
import { SKIP_NOT_CHOSEN } from '../cqc-rows.ts'
import { cqcDirectorySource, cqcLocationsSource } from '../cqc-sources.ts'
import { useDirectoryDatabase, countRows, serviceIdOf } from '../../test/factories.ts'

// The fixtures are constructed (fixtures/README.md): no real CQC rows are available here. They follow the layouts in
// ../shared/data/cqc/LAYOUT.md, title block, quoting and all.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const DIRECTORY = join(FIXTURES, 'cqc-directory.constructed.csv')
const LOCATIONS = join(FIXTURES, 'cqc-locations.constructed.csv')

const BRIGHTWATER_HOUSE = '1-1000000002'
const BRIGHTWATER_HOME_CARE = '1-1000000003'
const RIVERSIDE = '1-1000000011'
const SMILE = '1-1000000021'
const FERNLEA = '1-1000000041'

const dir = mkdtempSync(join(tmpdir(), 'openchoice-cqc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A file's lines split into the title block (the care directory's) and its records, as arrays of fields. */
function readCsv(path: string, titleLines = 0): { title: string[]; rows: string[][] } {
  const text = readFileSync(path, 'utf8')
  const lines = text.split(/\r?\n/)
  return {
    title: lines.slice(0, titleLines),
    rows: parse(lines.slice(titleLines).join('\n')) as string[][],
  }
}

/** Writes records back in the published style: fields quoted only when needed. */
function writeCsv(name: string, title: string[], rows: string[][], eol: string): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const path = join(dir, name)
  writeFileSync(path, [...title, ...rows.map((r) => r.map(field).join(','))].join(eol) + eol)
  return path
}

interface StoredService {
  source_ref: string
  name: string
  framework: string
  service_type: string
  status: string
  places: number | null
  telephone: string | null
  opened_on: string | null
  organisation_id: string
  organisation: string
  sector: string | null
  address: string
  town: string | null
  postcode: string | null
  la_name: string | null
  regulator: string
  regulator_ref: string
  registration: string
  rating: string | null
  rating_date: string | null
  rated_by: string | null
}

async function services(database: Database, source: string): Promise<Map<string, StoredService>> {
  const { rows } = await sql<StoredService>`
    select s.source_ref, s.name, s.framework, s.service_type, s.status, s.places, s.telephone,
           to_char(s.opened_on, 'YYYY-MM-DD') as opened_on, s.organisation_id, o.name as organisation, o.sector,
           l.address, l.town, l.postcode, l.la_name,
           r.regulator, r.regulator_ref, r.status as registration, r.rating,
           to_char(r.rating_date, 'YYYY-MM-DD') as rating_date, r.rated_by
      from directory.services s
      join directory.organisations o on o.id = s.organisation_id
      join directory.registrations r on r.service_id = s.id
      join directory.service_at_locations sal on sal.service_id = s.id
      join directory.locations l on l.id = sal.location_id
     where s.source = ${source}`.execute(database.db)
  return new Map(rows.map((r) => [r.source_ref, r]))
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  it('council imports the CQC care directory: each location a service, one provider’s two sharing it', async () => {
    const summary = await runImport(database.db, cqcDirectorySource, DIRECTORY)
    expect(summary).toMatchObject({
      encoding: 'utf-8',
      bom: false,
      records: 6, // the title block is not counted
      inserted: 5,
      rejected: 0,
      skipped: { [SKIP_NOT_CHOSEN]: 1 }, // the ambulance service
    })
    const stored = await services(database, 'cqc-directory')
    expect([...stored.keys()].sort()).toEqual([BRIGHTWATER_HOUSE, BRIGHTWATER_HOME_CARE, RIVERSIDE, SMILE, FERNLEA])
    const house = stored.get(BRIGHTWATER_HOUSE)!
    const homeCare = stored.get(BRIGHTWATER_HOME_CARE)!
    expect(house.organisation_id).toBe(homeCare.organisation_id)
    expect(house).toMatchObject({
      name: 'Brightwater House',
      organisation: 'Brightwater Care Ltd',
      framework: 'social-care',
      service_type: 'Care home with nursing', // "Nursing homes|Residential homes": nursing comes first
      status: 'active',
      address: '12 Mill Lane, Headingley, Leeds',
      postcode: 'LS6 2AB',
      la_name: 'Leeds',
      telephone: '0113 496 0001',
      regulator: 'cqc',
      regulator_ref: BRIGHTWATER_HOUSE,
      registration: 'registered',
      rating: null, // the care directory has no rating column
    })
    expect(homeCare).toMatchObject({ framework: 'social-care', service_type: 'Home care agency' })
    expect(stored.get(RIVERSIDE)).toMatchObject({ framework: 'nhs-care', service_type: 'GP practice or doctor' })
    expect(stored.get(SMILE)).toMatchObject({
      framework: 'nhs-care',
      service_type: 'Dentist',
      address: 'The Old Bank, 3 High Street, Camden, London',
    })
    const { rows: ids } = await sql<{ organisation_id: string }>`
      select organisation_id from directory.organisation_identifiers
       where scheme = 'cqc-provider' and value = '1-1000000001'`.execute(database.db)
    expect(ids).toEqual([{ organisation_id: house.organisation_id }])
    expect(await countRows(database, 'directory.organisations')).toBe(4)
  })

  it('council imports HSCA Active Locations: ratings with their dates; a dormant home cannot be chosen', async () => {
    const summary = await runImport(database.db, cqcLocationsSource, LOCATIONS)
    expect(summary).toMatchObject({ records: 6, inserted: 5, rejected: 0, skipped: { [SKIP_NOT_CHOSEN]: 1 } })
    const stored = await services(database, 'cqc-locations')
    expect(stored.get(BRIGHTWATER_HOUSE)).toMatchObject({
      framework: 'social-care',
      service_type: 'Care home with nursing',
      places: 42,
      opened_on: '2010-10-01',
      address: '12 Mill Lane, Headingley',
      town: 'Leeds',
      sector: 'private',
      registration: 'registered',
      rating: 'Good',
      rating_date: '2025-03-14',
      rated_by: 'CQC',
    })
    expect(stored.get(BRIGHTWATER_HOME_CARE)).toMatchObject({
      service_type: 'Home care agency',
      places: null,
      rating: 'Requires improvement',
      rating_date: '2024-07-02',
      organisation_id: stored.get(BRIGHTWATER_HOUSE)!.organisation_id,
    })
    expect(stored.get(RIVERSIDE)).toMatchObject({ framework: 'nhs-care', rating: 'Outstanding', sector: null })
    expect(stored.get(SMILE)).toMatchObject({ rating: null, rating_date: null, rated_by: null })
    expect(stored.get(FERNLEA)).toMatchObject({
      status: 'inactive',
      registration: 'registered',
      places: 18,
      sector: 'voluntary',
      rating: null, // "Not yet rated"
    })

    const dormant = (await findProviderById(database.db, await serviceIdOf(database, 'cqc-locations', FERNLEA)))!
    expect(mayBeChosen(dormant)).toEqual({ ok: false, reason: 'not-active' })
    const house = (await findProviderById(
      database.db,
      await serviceIdOf(database, 'cqc-locations', BRIGHTWATER_HOUSE),
    ))!
    expect(mayBeChosen(house)).toEqual({ ok: true })
    expect(house).toMatchObject({ rating: 'Good', regulator: 'CQC', registration: { regulator: 'cqc' } })
  })

  it('both files name the provider by its CQC ID, so they share one organisation', async () => {
    await runImport(database.db, cqcDirectorySource, DIRECTORY)
    await runImport(database.db, cqcLocationsSource, LOCATIONS)
    const fromDirectory = await services(database, 'cqc-directory')
    const fromLocations = await services(database, 'cqc-locations')
    for (const ref of [BRIGHTWATER_HOUSE, BRIGHTWATER_HOME_CARE, RIVERSIDE]) {
      expect(fromLocations.get(ref)!.organisation_id).toBe(fromDirectory.get(ref)!.organisation_id)
    }
    expect(await countRows(database, 'directory.organisations')).toBe(4)
  })

  it('importing the same files again changes nothing', async () => {
    for (const [source, file] of [
      [cqcDirectorySource, DIRECTORY],
      [cqcLocationsSource, LOCATIONS],
    ] as const) {
      await runImport(database.db, source, file, { now: new Date('2026-10-01T00:00:00Z') })
    }
    const changes = await countRows(database, 'directory.service_changes')
    const runs = await countRows(database, 'directory.import_runs')
    for (const [source, file] of [
      [cqcDirectorySource, DIRECTORY],
      [cqcLocationsSource, LOCATIONS],
    ] as const) {
      const again = await runImport(database.db, source, file, { now: new Date('2026-11-01T00:00:00Z') })
      expect(again).toMatchObject({ records: 6, inserted: 0, updated: 0, unchanged: 5, vanished: 0 })
    }
    expect(await countRows(database, 'directory.service_changes')).toBe(changes)
    expect(await countRows(database, 'directory.import_runs')).toBe(runs)
  })

  it('a newer file records a changed rating in the history and unlists a location CQC has deregistered', async () => {
    await runImport(database.db, cqcLocationsSource, LOCATIONS, { now: new Date('2026-10-01T00:00:00Z') })
    // The next month's file (constructed from the fixture): Brightwater House re-rated, Brightwater Home Care gone.
    const { rows } = readCsv(LOCATIONS)
    const header = rows[0]!
    const col = (name: string) => header.indexOf(name)
    const newer = rows
      .filter((r) => r[col('Location ID')] !== BRIGHTWATER_HOME_CARE)
      .map((r) => {
        if (r[col('Location ID')] !== BRIGHTWATER_HOUSE) return r
        const next = [...r]
        next[col('Location Latest Overall Rating')] = 'Outstanding'
        next[col('Publication Date')] = '03/11/2026'
        return next
      })
    const summary = await runImport(database.db, cqcLocationsSource, writeCsv('newer.csv', [], newer, '\n'), {
      now: new Date('2026-11-20T00:00:00Z'),
    })
    expect(summary).toMatchObject({ records: 5, inserted: 0, updated: 1, unchanged: 3, vanished: 1 })

    const rerated = await listProviderChanges(
      database.db,
      await serviceIdOf(database, 'cqc-locations', BRIGHTWATER_HOUSE),
    )
    // Changes made by one import share its time, so their order among themselves is not fixed: compare sorted.
    expect(rerated.map((c) => [c.change, c.field, c.oldValue, c.newValue]).sort()).toEqual([
      ['listed', null, null, null],
      ['updated', 'rating', 'Good', 'Outstanding'],
      ['updated', 'rating_date', '2025-03-14', '2026-11-03'],
    ])
    const goneId = await serviceIdOf(database, 'cqc-locations', BRIGHTWATER_HOME_CARE)
    expect((await listProviderChanges(database.db, goneId)).at(-1)).toMatchObject({
      change: 'unlisted',
      changedAt: new Date('2026-11-20T00:00:00Z'),
    })
    const gone = (await findProviderById(database.db, goneId))!
    expect(gone.source.unlistedAt).toEqual(new Date('2026-11-20T00:00:00Z'))
    expect(mayBeChosen(gone)).toEqual({ ok: false, reason: 'not-active' })
  })

  it('a care directory with bad rows imports nothing and lists each bad line of the file', async () => {
    const { title, rows } = readCsv(DIRECTORY, 4)
    const header = rows[0]!
    const col = (name: string) => header.indexOf(name)
    // File lines: 1-4 title block, 5 header, 6 Brightwater House, 7 Home Care, 8 Riverside, ... 11 Fernlea.
    const bad = rows.map((r) => [...r])
    bad[3]![col('CQC Location ID (for office use only)')] = '101641521'
    bad[6] = bad[6]!.slice(0, 9) // cut short
    bad.push([...rows[1]!]) // Brightwater House again, line 12
    const error = await runImport(database.db, cqcDirectorySource, writeCsv('bad.csv', title, bad, '\r\n')).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ImportRejectedError)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 8, reason: '"101641521" is not a CQC location ID' },
      { line: 11, reason: 'the row has 9 columns, but the file has 15' },
      { line: 12, reason: `${BRIGHTWATER_HOUSE} appears more than once in the file` },
    ])
    expect(await countRows(database, 'directory.services')).toBe(0)
  })

  it('an HSCA file with bad values imports nothing and lists each bad line', async () => {
    const { rows } = readCsv(LOCATIONS)
    const header = rows[0]!
    const col = (name: string) => header.indexOf(name)
    const bad = rows.map((r) => [...r])
    bad[1]![col('Location Latest Overall Rating')] = 'Very good'
    bad[3]![col('Location Postal Code')] = 'NOT KNOWN'
    bad[6]![col('Dormant (Y/N)')] = 'Maybe'
    bad[2]![col('Publication Date')] = '31/02/2024'
    const error = await runImport(database.db, cqcLocationsSource, writeCsv('bad.csv', [], bad, '\n')).catch(
      (e: unknown) => e,
    )
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 2, reason: '"Very good" is not a CQC rating' },
      { line: 3, reason: '"31/02/2024" in "Publication Date" is not a date' },
      { line: 4, reason: '"NOT KNOWN" is not a postcode' },
      { line: 7, reason: '"Maybe" in "Dormant (Y/N)" is not Y or N' },
    ])
    expect(await countRows(database, 'directory.services')).toBe(0)
  })

  it('a care directory whose header lacks a column the importer reads is refused at the header line', async () => {
    const { title, rows } = readCsv(DIRECTORY, 4)
    const renamed = rows.map((r, i) => (i === 0 ? r.map((h) => (h === 'Local authority' ? 'LA' : h)) : r))
    const error = await runImport(
      database.db,
      cqcDirectorySource,
      writeCsv('renamed.csv', title, renamed, '\r\n'),
    ).catch((e: unknown) => e)
    expect((error as ImportRejectedError).bad).toEqual([
      { line: 5, reason: 'the header has no "Local authority" column' },
    ])
  })
})
