import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { paths, runImport, type Database, type ImportSource } from '../../../../platform/index.ts'
import { testDialects } from '../../../../platform/testing/index.ts'
import { onspdSource, outcodesSource } from '../../geography/index.ts'
import { dfeKs5Source } from '../../performance/ks5.import.ts'
import { findProviderById, listProviderChanges } from '../../providers.service.ts'
import { countRows, serviceIdOf, useDirectoryDatabase } from '../../test/factories.ts'
import { giasSource } from '../provider-sources.ts'
import { up as addAddressSource } from '../../migrations/2026_11_23_1800_directory_location_address_source.ts'

// The real samples in data/; the GIAS files below are constructed from them, as each test says.
const GIAS = join(paths.data, 'gias/edubasealldata_extract_2021-05_sample.csv')
const KS5_2016 = join(paths.data, 'dfe_performance_tables/england_ks5final_2015-16__LA_lt_800.csv')
const KS5_2017 = join(paths.data, 'dfe_performance_tables/england_ks5final_2016-17__LA_lt_800.csv')
const ONSPD = join(paths.data, 'onspd/onspd_extract_AB1_AB10_AB11_plus_nonAB.csv')
const OUTCODES = join(paths.data, 'postcode_outcodes/postcode-outcodes.csv')

// The John Roan School moved between the two KS5 years (2015/16: Maze Hill, SE3 7UD; 2016/17: Westcombe Park Road,
// SE3 7QR). Barnsley College is in both. Neither is in the GIAS sample, so the tests list them under their URNs.
const JOHN_ROAN = '100192'
const BARNSLEY = '130524'
// Sherborne Nursery School: the GIAS sample's first row, in no KS5 file.
const SHERBORNE = '100004'

const dir = mkdtempSync(join(tmpdir(), 'openchoice-school-addresses-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const [header, ...sample] = parse(readFileSync(GIAS), { bom: true }) as string[][]
const ADDRESS = ['Street', 'Locality', 'Address3', 'Town', 'Postcode']

/** A GIAS row: a copy of an open school's sample row, with these columns changed. */
function giasRow(changes: Record<string, string>): string[] {
  const open = sample.find((r) => r[header!.indexOf('EstablishmentStatus (name)')] === 'Open')!
  return header!.map((column, i) => changes[column] ?? open[i]!)
}
const noAddress = Object.fromEntries(ADDRESS.map((c) => [c, '']))

/** Writes a GIAS file (every field quoted, CRLF, as older GIAS extracts are). */
function writeGias(name: string, rows: string[][]): string {
  const file = join(dir, name)
  writeFileSync(file, [header!, ...rows].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n'))
  return file
}

/**
 * Constructed: the GIAS sample, with its first school's address left out, and two schools copied from an open
 * sample row under the URNs of schools in the KS5 files: The John Roan School without an address, as GIAS lists
 * some schools, and Barnsley College with the sample row's address (a Camden one), which KS5 must not replace.
 */
function giasFile(name: string, johnRoan: Record<string, string> = noAddress): string {
  const first = sample[0]!.map((v, i) => (ADDRESS.includes(header![i]!) ? '' : v))
  return writeGias(name, [
    first,
    ...sample.slice(1),
    giasRow({ URN: JOHN_ROAN, EstablishmentName: 'The John Roan School', ...johnRoan }),
    giasRow({ URN: BARNSLEY, EstablishmentName: 'Barnsley College' }),
  ])
}

/** A KS5 file of the 2016/17 sample's header and The John Roan School's row, as a later year with these changes. */
function ks5File(name: string, changes: Record<string, string>): string {
  const [ks5Header, ...rows] = parse(readFileSync(KS5_2017), { bom: true }) as string[][]
  const row = rows.find((r) => r[ks5Header!.indexOf('URN')] === JOHN_ROAN)!
  const changed = ks5Header!.map((column, i) => changes[column] ?? row[i]!)
  const file = join(dir, name)
  writeFileSync(
    file,
    [ks5Header!, changed].map((r) => r.map((v) => (/[",]/.test(v) ? `"${v}"` : v)).join(',')).join('\n'),
  )
  return file
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  let clock = Date.parse('2026-11-01T00:00:00Z')
  /** Imports a file a day after the one before, so each run is a new one. */
  const load = <Row>(source: ImportSource<Row>, file: string) =>
    runImport(database.db, source, file, { now: new Date((clock += 86_400_000)) })

  async function schoolLocation(urn: string) {
    const { rows } = await sql<Record<string, unknown>>`
      select l.address, l.town, l.postcode, l.outcode, l.address_source, l.precision, l.latitude, l.longitude,
             l.la_code, l.lsoa_code, l.la_name
        from directory.services s
        join directory.service_at_locations sal on sal.service_id = s.id
        join directory.locations l on l.id = sal.location_id
       where s.source = 'gias' and s.source_ref = ${urn}`.execute(database.db)
    return rows[0]
  }

  /** Every row the imports write, with its row version: equal only if nothing was written at all. */
  async function everything() {
    const versions = (table: string) =>
      sql`select xmin::text as version, t.* from ${sql.table(table)} t order by 2, 3`.execute(database.db)
    return {
      locations: (await versions('directory.locations')).rows,
      services: (await versions('directory.services')).rows,
      registrations: (await versions('directory.registrations')).rows,
      ks5: (await versions('directory.school_ks5_results')).rows,
      changes: await countRows(database, 'directory.service_changes'),
      runs: await countRows(database, 'directory.import_runs'),
    }
  }

  const history = async (urn: string) =>
    (await listProviderChanges(database.db, await serviceIdOf(database, 'gias', urn))).map((c) =>
      c.change === 'updated' ? [c.field, c.oldValue, c.newValue] : [c.change],
    )

  const johnRoanFromKs5 = {
    address: 'Westcombe Park Road, Blackheath',
    town: 'London',
    postcode: 'SE3 7QR',
    outcode: 'SE3',
    address_source: 'dfe-ks5',
    // The SE3 district's centre (the outcodes file): approximate, as ONSPD's sample has no SE3 postcodes.
    precision: 'outcode',
    latitude: 51.469029,
    longitude: 0.023439,
    la_code: null,
    lsoa_code: null,
  }

  it.each([
    ['GIAS first', ['gias', 'ks5-2017', 'ks5-2016']],
    ['KS5 first', ['ks5-2016', 'ks5-2017', 'gias']],
    ['GIAS between the KS5 years', ['ks5-2017', 'gias', 'ks5-2016']],
  ])(
    '%s: a school GIAS lists without an address takes its newest KS5 address; importing any file again changes nothing',
    async (_, order) => {
      await load(outcodesSource, OUTCODES)
      const files = { gias: giasFile('gias.csv'), 'ks5-2016': KS5_2016, 'ks5-2017': KS5_2017 }
      const sources = { gias: giasSource, 'ks5-2016': dfeKs5Source, 'ks5-2017': dfeKs5Source } as const
      const importFile = (f: string) => {
        const key = f as keyof typeof files
        return load(sources[key] as ImportSource<unknown>, files[key])
      }
      for (const f of order) await importFile(f)

      expect(await schoolLocation(JOHN_ROAN)).toMatchObject(johnRoanFromKs5)
      // GIAS gave Barnsley College an address: the register's, which KS5's does not replace.
      const camden = giasRow({})
      expect(await schoolLocation(BARNSLEY)).toMatchObject({
        address: camden[header!.indexOf('Street')],
        postcode: camden[header!.indexOf('Postcode')],
        address_source: 'gias',
      })
      // A school in no KS5 file keeps what GIAS gives: no address, and no place.
      expect(await schoolLocation(SHERBORNE)).toMatchObject({
        address: '',
        postcode: null,
        precision: null,
        address_source: 'gias',
      })

      const before = await everything()
      for (const f of [...order, ...[...order].reverse()]) {
        const again = await importFile(f)
        expect(again).toMatchObject({ inserted: 0, updated: 0, rejected: 0, vanished: 0 })
      }
      expect(await everything()).toEqual(before)
    },
  )

  it('the history shows the address KS5 filled in, and each newer address KS5 gave', async () => {
    await load(giasSource, giasFile('gias.csv'))
    await load(dfeKs5Source, KS5_2016)
    await load(dfeKs5Source, KS5_2017)
    expect(await history(JOHN_ROAN)).toEqual([
      ['listed'],
      ['address', '', 'Maze Hill, Blackheath'],
      ['address', 'Maze Hill, Blackheath', 'Westcombe Park Road, Blackheath'],
    ])
    // Listed after KS5 gave the address: listed with it, nothing changed since.
    await load(giasSource, giasFile('gias-again.csv'))
    expect(await history(JOHN_ROAN)).toHaveLength(3)
  })

  it('a school listed after its KS5 rows is listed with their address, and its page says where it is from', async () => {
    await load(dfeKs5Source, KS5_2017)
    expect(await countRows(database, 'directory.locations')).toBe(0) // kept with the KS5 rows until GIAS lists it
    await load(giasSource, giasFile('gias.csv'))
    expect(await history(JOHN_ROAN)).toEqual([['listed']])
    const provider = (await findProviderById(database.db, await serviceIdOf(database, 'gias', JOHN_ROAN)))!
    expect(provider).toMatchObject({ address: 'Westcombe Park Road, Blackheath', addressSource: 'dfe-ks5' })
  })

  it('a GIAS row with an address replaces the KS5 one, as the register; without one again, KS5 fills it again', async () => {
    await load(dfeKs5Source, KS5_2017)
    await load(dfeKs5Source, KS5_2016)
    await load(giasSource, giasFile('gias.csv'))
    // Constructed: GIAS now gives The John Roan School an address (its newer site, written as GIAS would).
    const given = { Street: 'Westcombe Park Road', Locality: '', Address3: '', Town: 'London', Postcode: 'SE3 7QR' }
    const withAddress = giasFile('gias-with-address.csv', given)
    expect(await load(giasSource, withAddress)).toMatchObject({ updated: 1, unchanged: 70 })
    expect(await schoolLocation(JOHN_ROAN)).toMatchObject({
      address: 'Westcombe Park Road',
      postcode: 'SE3 7QR',
      address_source: 'gias',
    })
    expect((await history(JOHN_ROAN)).at(-1)).toEqual([
      'address',
      'Westcombe Park Road, Blackheath',
      'Westcombe Park Road',
    ])
    const before = await everything()
    await load(dfeKs5Source, KS5_2017)
    await load(dfeKs5Source, KS5_2016)
    await load(giasSource, withAddress)
    expect(await everything()).toEqual(before)

    // GIAS drops the address again: the school is not left without one while KS5 has it.
    expect(await load(giasSource, giasFile('gias-without.csv'))).toMatchObject({ updated: 1 })
    const { address, postcode, address_source } = johnRoanFromKs5
    expect(await schoolLocation(JOHN_ROAN)).toMatchObject({ address, postcode, address_source })
  })

  it("the migration takes each location's address to be its register's, so the next import changes nothing", async () => {
    await load(giasSource, GIAS)
    await sql`alter table directory.locations drop column address_source`.execute(database.db)
    await addAddressSource(database.db)
    const { rows } = await sql`select address_source, count(*)::int as n from directory.locations group by 1`.execute(
      database.db,
    )
    expect(rows).toEqual([{ address_source: 'gias', n: 69 }])
    const before = await everything()
    expect(await load(giasSource, GIAS)).toMatchObject({ unchanged: 69 })
    expect(await everything()).toEqual(before)
  })

  it('a KS5 postcode the ONS Postcode Directory knows places the school exactly, with its LA and LSOA', async () => {
    await load(outcodesSource, OUTCODES)
    await load(onspdSource, ONSPD)
    await load(giasSource, giasFile('gias.csv'))
    await load(dfeKs5Source, KS5_2017)
    // Constructed: The John Roan School's 2016/17 row as a 2017/18 one, at a postcode in the ONSPD sample.
    await load(dfeKs5Source, ks5File('england_ks5final_2017-18.csv', { ADDRESS1: '1 Test Street', PCODE: 'SE1 2DL' }))
    expect(await schoolLocation(JOHN_ROAN)).toMatchObject({
      address: '1 Test Street, Blackheath',
      postcode: 'SE1 2DL',
      precision: 'exact',
      latitude: 51.498972,
      longitude: -0.071609,
      la_code: 'E09000028',
      lsoa_code: 'E01004028',
      address_source: 'dfe-ks5',
    })
  })
})
