import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import {
  migrateToLatest,
  runImport,
  ImportRejectedError,
  type Database,
  type ModuleManifest,
} from '../../../../platform/index.ts'
import { createTestDatabase, testDialects, truncateSchemas } from '../../../../platform/testing/index.ts'
import { modules } from '../../../registry.ts'
import { findProviderById, listProviderChanges, mayBeChosen } from '../../providers.service.ts'
import { CQC_REGISTER, SKIP_NOT_CHOSEN } from '../cqc-rows.ts'
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
const LISTED = [BRIGHTWATER_HOUSE, BRIGHTWATER_HOME_CARE, RIVERSIDE, SMILE, FERNLEA] // all but the ambulance service

/** Both files, the care directory first. */
const BOTH_FILES = [
  [cqcDirectorySource, DIRECTORY],
  [cqcLocationsSource, LOCATIONS],
] as const
type CqcFile = (typeof BOTH_FILES)[number]

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

/** How each fixture is laid out, so a later release of it can be written the same way. */
const RELEASES = {
  directory: { path: DIRECTORY, titleLines: 4, idColumn: 'CQC Location ID (for office use only)', eol: '\r\n' },
  locations: { path: LOCATIONS, titleLines: 0, idColumn: 'Location ID', eol: '\n' },
}
let releases = 0

/**
 * A later release of a fixture, as CQC would publish it: without the locations in `drop`, and with the values in
 * `set` (by location ID, then column name) in place of the fixture's.
 */
function laterRelease(
  kind: keyof typeof RELEASES,
  change: { drop?: string[]; set?: Record<string, Record<string, string>> },
): string {
  const release = RELEASES[kind]
  const { title, rows } = readCsv(release.path, release.titleLines)
  const [header, ...records] = rows as [string[], ...string[][]]
  for (const column of Object.values(change.set ?? {}).flatMap(Object.keys)) {
    if (!header.includes(column)) throw new Error(`the ${kind} fixture has no "${column}" column`)
  }
  const idOf = (r: string[]) => r[header.indexOf(release.idColumn)]!
  const later = records
    .filter((r) => !change.drop?.includes(idOf(r)))
    .map((r) => r.map((value, i) => change.set?.[idOf(r)]?.[header[i]!] ?? value))
  return writeCsv(`later-${kind}-${++releases}.csv`, title, [header, ...later], release.eol)
}

/** The centres of the fixtures' postcode districts, so their locations are placed (approximately) on import. */
async function placeDistricts(database: Database): Promise<void> {
  await sql`insert into directory.outcodes (outcode, latitude, longitude) values
    ('LS6', 53.82, -1.58), ('LS3', 53.80, -1.57), ('M3', 53.48, -2.25), ('NW1', 51.54, -0.14),
    ('S10', 53.38, -1.51), ('M17', 53.46, -2.32)`.execute(database.db)
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
  latitude: number | null
  precision: string | null
  unlisted: boolean
  regulator: string
  regulator_ref: string
  registration: string
  rating: string | null
  rating_date: string | null
  rated_by: string | null
}

/** The services of the CQC register, listed or not, by location ID, with their organisation, location and registration. */
async function services(database: Database): Promise<Map<string, StoredService>> {
  const { rows } = await sql<StoredService>`
    select s.source_ref, s.name, s.framework, s.service_type, s.status, s.places, s.telephone,
           to_char(s.opened_on, 'YYYY-MM-DD') as opened_on, s.organisation_id, o.name as organisation, o.sector,
           l.address, l.town, l.postcode, l.la_name, l.latitude, l.precision, s.unlisted_at is not null as unlisted,
           r.regulator, r.regulator_ref, r.status as registration, r.rating,
           to_char(r.rating_date, 'YYYY-MM-DD') as rating_date, r.rated_by
      from directory.services s
      join directory.organisations o on o.id = s.organisation_id
      join directory.registrations r on r.service_id = s.id
      join directory.service_at_locations sal on sal.service_id = s.id
      join directory.locations l on l.id = sal.location_id
     where s.source = ${CQC_REGISTER}`.execute(database.db)
  return new Map(rows.map((r) => [r.source_ref, r]))
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))
  const idOf = (ref: string) => serviceIdOf(database, CQC_REGISTER, ref)
  const changesOf = async (ref: string) => {
    const changes = await listProviderChanges(database.db, await idOf(ref))
    // Changes made by one import share its time, so their order among themselves is not fixed: compare sorted.
    return changes.map((c) => [c.change, c.field, c.oldValue, c.newValue]).sort()
  }

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
    const stored = await services(database)
    expect([...stored.keys()].sort()).toEqual(LISTED)
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
    const stored = await services(database)
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

    const dormant = (await findProviderById(database.db, await idOf(FERNLEA)))!
    expect(mayBeChosen(dormant)).toEqual({ ok: false, reason: 'not-active' })
    const house = (await findProviderById(database.db, await idOf(BRIGHTWATER_HOUSE)))!
    expect(mayBeChosen(house)).toEqual({ ok: true })
    expect(house).toMatchObject({ rating: 'Good', regulator: 'CQC', registration: { regulator: 'cqc' } })
  })

  it('council imports both CQC files, in either order: each location listed once, with telephone and rating', async () => {
    const listedAfter = async (files: readonly CqcFile[]) => {
      await truncateSchemas(database, ['directory'])
      await placeDistricts(database)
      for (const [source, file] of files) await runImport(database.db, source, file)
      const { rows: runs } = await sql<{ source: string }>`
        select source from directory.import_runs order by source`.execute(database.db)
      expect(runs.map((r) => r.source)).toEqual(['cqc-directory', 'cqc-locations']) // each file's kind is recorded
      expect(await countRows(database, 'directory.organisations')).toBe(4) // one per CQC provider ID
      return { listed: await services(database), history: await changesOf(BRIGHTWATER_HOUSE) }
    }
    const directoryFirst = await listedAfter(BOTH_FILES)
    const locationsFirst = await listedAfter([...BOTH_FILES].reverse())
    for (const { listed } of [directoryFirst, locationsFirst]) {
      expect([...listed.keys()].sort()).toEqual(LISTED)
      expect(listed.get(BRIGHTWATER_HOUSE)).toMatchObject({
        telephone: '0113 496 0001', // the directory's
        rating: 'Good', // the rest is the HSCA file's
        rating_date: '2025-03-14',
        rated_by: 'CQC',
        places: 42,
        opened_on: '2010-10-01',
        address: '12 Mill Lane, Headingley',
        town: 'Leeds',
        latitude: 53.82, // placed by its postcode district
        precision: 'outcode',
      })
      expect(listed.get(FERNLEA)).toMatchObject({ status: 'inactive', telephone: '0114 496 0041' }) // dormant
    }
    // Imports do not rewrite organisations, so each is as the first file named it: the directory gives no sector.
    const withoutOrganisation = (listed: Map<string, StoredService>) =>
      Object.fromEntries([...listed].map(([ref, { organisation_id: _, sector: __, ...service }]) => [ref, service]))
    expect(withoutOrganisation(directoryFirst.listed)).toEqual(withoutOrganisation(locationsFirst.listed))
    // Only the HSCA file records a rating in the history. Coming second, it records what it changes of the
    // directory's listing; the directory, coming second, changes nothing a person reads about.
    expect(directoryFirst.history).toEqual([
      ['listed', null, null, null],
      ['updated', 'address', '12 Mill Lane, Headingley, Leeds', '12 Mill Lane, Headingley'],
      ['updated', 'rating', null, 'Good'],
      ['updated', 'rating_date', null, '2025-03-14'],
    ])
    expect(locationsFirst.history).toEqual([['listed', null, null, null]])
  })

  it('importing either file again changes nothing, whichever of them came last', async () => {
    await placeDistricts(database)
    for (const [source, file] of BOTH_FILES) {
      await runImport(database.db, source, file, { now: new Date('2026-10-01T00:00:00Z') })
    }
    const listed = await services(database)
    const changes = await countRows(database, 'directory.service_changes')
    const runs = await countRows(database, 'directory.import_runs')
    for (const [source, file] of [...BOTH_FILES, ...BOTH_FILES]) {
      const again = await runImport(database.db, source, file, { now: new Date('2026-11-01T00:00:00Z') })
      expect(again).toMatchObject({ records: 6, inserted: 0, updated: 0, unchanged: 5, vanished: 0 })
    }
    expect(await services(database)).toEqual(listed)
    expect(await countRows(database, 'directory.service_changes')).toBe(changes)
    expect(await countRows(database, 'directory.import_runs')).toBe(runs)
  })

  it('a directory imported after HSCA keeps its telephone numbers up to date but leaves ratings, and their history, alone', async () => {
    await runImport(database.db, cqcLocationsSource, LOCATIONS, { now: new Date('2026-10-01T00:00:00Z') })
    // The directory: Brightwater House has a new number; like every directory, it has no ratings and no dormancy.
    const newNumber = laterRelease('directory', { set: { [BRIGHTWATER_HOUSE]: { 'Phone number': '0113 496 0099' } } })
    const summary = await runImport(database.db, cqcDirectorySource, newNumber, {
      now: new Date('2026-11-01T00:00:00Z'),
    })
    expect(summary).toMatchObject({ inserted: 0, updated: 5, unchanged: 0, vanished: 0 }) // each gains its number
    const listed = await services(database)
    expect(listed.get(BRIGHTWATER_HOUSE)).toMatchObject({
      telephone: '0113 496 0099',
      rating: 'Good',
      rating_date: '2025-03-14',
      places: 42,
      address: '12 Mill Lane, Headingley', // not the directory's one line, '12 Mill Lane, Headingley, Leeds'
    })
    expect(listed.get(FERNLEA)).toMatchObject({ status: 'inactive', rating: null })
    // A telephone number is a correction, not news: nothing but the listing is in the history.
    expect(await changesOf(BRIGHTWATER_HOUSE)).toEqual([['listed', null, null, null]])

    // The same HSCA file again: it has no telephone numbers, and leaves the directory's alone.
    const again = await runImport(database.db, cqcLocationsSource, LOCATIONS, { now: new Date('2026-12-01T00:00:00Z') })
    expect(again).toMatchObject({ updated: 0, unchanged: 5 })
    expect((await services(database)).get(BRIGHTWATER_HOUSE)).toMatchObject({ telephone: '0113 496 0099' })
  })

  it('a newer HSCA file records a changed rating in the history and unlists a location CQC has deregistered', async () => {
    await runImport(database.db, cqcLocationsSource, LOCATIONS, { now: new Date('2026-10-01T00:00:00Z') })
    // The next month's file: Brightwater House re-rated, Brightwater Home Care gone.
    const newer = laterRelease('locations', {
      drop: [BRIGHTWATER_HOME_CARE],
      set: {
        [BRIGHTWATER_HOUSE]: { 'Location Latest Overall Rating': 'Outstanding', 'Publication Date': '03/11/2026' },
      },
    })
    const summary = await runImport(database.db, cqcLocationsSource, newer, { now: new Date('2026-11-20T00:00:00Z') })
    expect(summary).toMatchObject({ records: 5, inserted: 0, updated: 1, unchanged: 3, vanished: 1 })

    expect(await changesOf(BRIGHTWATER_HOUSE)).toEqual([
      ['listed', null, null, null],
      ['updated', 'rating', 'Good', 'Outstanding'],
      ['updated', 'rating_date', '2025-03-14', '2026-11-03'],
    ])
    const goneId = await idOf(BRIGHTWATER_HOME_CARE)
    expect((await listProviderChanges(database.db, goneId)).at(-1)).toMatchObject({
      change: 'unlisted',
      changedAt: new Date('2026-11-20T00:00:00Z'),
    })
    const gone = (await findProviderById(database.db, goneId))!
    expect(gone.source.unlistedAt).toEqual(new Date('2026-11-20T00:00:00Z'))
    expect(mayBeChosen(gone)).toEqual({ ok: false, reason: 'not-active' })
  })

  it('only the HSCA file unlists: a location a newer directory drops stays listed, and one HSCA dropped stays unlisted', async () => {
    for (const [source, file] of [...BOTH_FILES].reverse()) {
      await runImport(database.db, source, file, { now: new Date('2026-10-01T00:00:00Z') })
    }
    const withoutRiverside = laterRelease('directory', { drop: [RIVERSIDE] })
    expect(
      await runImport(database.db, cqcDirectorySource, withoutRiverside, { now: new Date('2026-11-01T00:00:00Z') }),
    ).toMatchObject({ records: 5, updated: 0, unchanged: 4, vanished: 0 })
    expect((await services(database)).get(RIVERSIDE)).toMatchObject({ unlisted: false })
    expect(mayBeChosen((await findProviderById(database.db, await idOf(RIVERSIDE)))!)).toEqual({ ok: true })

    // HSCA drops Brightwater Home Care; a directory published on another day still lists it, but does not relist it.
    const withoutHomeCare = laterRelease('locations', { drop: [BRIGHTWATER_HOME_CARE] })
    expect(
      await runImport(database.db, cqcLocationsSource, withoutHomeCare, { now: new Date('2026-11-02T00:00:00Z') }),
    ).toMatchObject({ vanished: 1 })
    expect(
      await runImport(database.db, cqcDirectorySource, DIRECTORY, { now: new Date('2026-12-01T00:00:00Z') }),
    ).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, vanished: 0 })
    expect((await services(database)).get(BRIGHTWATER_HOME_CARE)).toMatchObject({ unlisted: true })

    // The next HSCA file lists it again, so it is listed again.
    expect(
      await runImport(database.db, cqcLocationsSource, LOCATIONS, { now: new Date('2026-12-02T00:00:00Z') }),
    ).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, vanished: 0 })
    expect((await services(database)).get(BRIGHTWATER_HOME_CARE)).toMatchObject({ unlisted: false })
    expect(await changesOf(BRIGHTWATER_HOME_CARE)).toEqual([
      ['listed', null, null, null],
      ['listed', null, null, null],
      ['unlisted', null, null, null],
    ])
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

/** The app as it was before CQC's two files shared one register: the migrations named before it. */
function beforeOneRegister(all: ModuleManifest[]): ModuleManifest[] {
  return all.map((m) => ({
    ...m,
    migrations: Object.fromEntries(Object.entries(m.migrations).filter(([name]) => name < '2026_11_23_1750')),
  }))
}

describe.each(testDialects())('%s database that imported both CQC files as two sources', (dialect) => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase(dialect, beforeOneRegister(modules))
  })
  afterAll(async () => database?.close())

  it('lists each location once, in the CQC register, and the next imports bring the telephone numbers', async () => {
    // Each file listed its own services then, as importing it alone and naming them after it does here. That
    // HSCA file lacks the dentist, which only the directory listed.
    const importAs = async (source: CqcFile[0], file: string, oldSource: string) => {
      await runImport(database.db, source, file)
      await sql`update directory.services set source = ${oldSource} where source = ${CQC_REGISTER}`.execute(database.db)
    }
    // Today's importers write each location's address source, which a later migration adds: the old schema has
    // that column while they build the old state, and loses it again so that the migration adds and fills it.
    await sql`alter table directory.locations add column address_source text`.execute(database.db)
    await importAs(cqcLocationsSource, laterRelease('locations', { drop: [SMILE] }), 'cqc-locations')
    await importAs(cqcDirectorySource, DIRECTORY, 'cqc-directory')
    await sql`alter table directory.locations drop column address_source`.execute(database.db)
    await migrateToLatest(database.db, modules)

    const listed = await services(database)
    expect([...listed.keys()].sort()).toEqual(LISTED)
    expect([...listed.values()].every((s) => !s.unlisted)).toBe(true)
    expect(listed.get(BRIGHTWATER_HOUSE)).toMatchObject({ rating: 'Good', telephone: null }) // HSCA's
    expect(listed.get(SMILE)).toMatchObject({ telephone: '020 7946 0021' }) // the directory's
    const { rows: copies } = await sql<{ unlisted: boolean; change: string }>`
      select s.unlisted_at is not null as unlisted, c.change
        from directory.services s join directory.service_changes c on c.service_id = s.id
       where s.source = 'cqc-directory' and c.change = 'unlisted'`.execute(database.db)
    expect(copies).toEqual(Array(4).fill({ unlisted: true, change: 'unlisted' }))
    const { rows: sources } = await sql`
      select distinct s.source, l.address_source from directory.services s
        join directory.service_at_locations sal on sal.service_id = s.id
        join directory.locations l on l.id = sal.location_id order by 1`.execute(database.db)
    expect(sources).toEqual([
      { source: CQC_REGISTER, address_source: CQC_REGISTER },
      { source: 'cqc-directory', address_source: 'cqc-directory' },
    ])

    const directory = await runImport(database.db, cqcDirectorySource, DIRECTORY)
    expect(directory).toMatchObject({ inserted: 0, updated: 4, unchanged: 1, vanished: 0 })
    const locations = await runImport(database.db, cqcLocationsSource, LOCATIONS)
    expect(locations).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, vanished: 0 }) // the dentist, in HSCA
    expect((await services(database)).get(BRIGHTWATER_HOUSE)).toMatchObject({
      rating: 'Good',
      telephone: '0113 496 0001',
    })
  })
})
