import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { ImportRejectedError, paths, runImport, type BadRecord, type Database } from '../../../../platform/index.ts'
import { testDialects } from '../../../../platform/testing/index.ts'
import { imd2019Source, locatePostcode, onspdSource, outcodesSource } from '../index.ts'
import { useDirectoryDatabase } from '../../test/factories.ts'

// Real published files in data/, used unchanged (data/README.md: `onspd`, `imd2019`, `postcode_outcodes`).
const SAMPLES = paths.data
const ONSPD = join(SAMPLES, 'onspd/onspd_extract_AB1_AB10_AB11_plus_nonAB.csv')
const OUTCODES = join(paths.data, 'postcode_outcodes/postcode-outcodes.csv')
const IMD_FILE_1 = join(SAMPLES, 'imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation__LAD_E06_E09.csv')
const IMD_FILE_2 = join(SAMPLES, 'imd2019/File_2_-_IoD2019_Domains_of_Deprivation__LAD_E06_E09.csv')
const IMD_FILE_6 = join(SAMPLES, 'imd2019/File_6_-_IoD2019_Population_Denominators__LAD_E06_E09.csv')

// Row counts from the data README.
const ONSPD_ROWS = 4460
const ONSPD_TERMINATED = 3145
const OUTCODE_ROWS = 2973
const IMD_ROWS = 12638

const dir = mkdtempSync(join(tmpdir(), 'openchoice-geography-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fixture made from a real file: its first `lines` lines, with `edit` applied (say what it breaks). */
function cutFrom(path: string, lines: number, edit: (text: string) => string): string {
  const text = readFileSync(path, 'utf8').split('\n').slice(0, lines).join('\n') + '\n'
  const out = join(dir, `cut-${lines}-${Math.random().toString(36).slice(2)}.csv`)
  writeFileSync(out, edit(text))
  return out
}

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
  const count = async (table: string, where = sql`true`) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(database.db))
      .rows[0]!.n
  const versions = async (table: string, key: string) =>
    (
      await sql<{ key: string; v: string }>`select ${sql.ref(key)} as key, xmin::text as v from ${sql.table(table)}
        order by 1`.execute(database.db)
    ).rows

  useDirectoryDatabase(dialect, (opened) => (database = opened))

  describe('onspd', () => {
    it('administrator imports the ONS Postcode Directory: every postcode, terminated ones kept and marked', async () => {
      const summary = await runImport(database.db, onspdSource, ONSPD)
      expect(summary).toMatchObject({
        records: ONSPD_ROWS,
        inserted: ONSPD_ROWS,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      })
      expect(await count('directory.postcodes')).toBe(ONSPD_ROWS)
      expect(await count('directory.postcodes', sql`terminated_on is not null`)).toBe(ONSPD_TERMINATED)

      const { rows } = await sql<Record<string, unknown>>`
        select postcode, outcode, latitude, longitude, la_code, lsoa11_code, lsoa21_code, country_code,
               to_char(terminated_on, 'YYYY-MM-DD') as terminated_on
          from directory.postcodes where postcode in ('SE1 2DL', 'AB1 0AA', 'JE2 4WD', 'AB11 3AG') order by postcode`.execute(
        database.db,
      )
      expect(rows).toEqual([
        // Terminated June 1996 (the pre-1996 Aberdeen districts), still with its grid reference.
        {
          postcode: 'AB1 0AA',
          outcode: 'AB1',
          latitude: 57.101474,
          longitude: -2.242851,
          la_code: 'S12000033',
          lsoa11_code: 'S01006514',
          lsoa21_code: null,
          country_code: 'S92000003',
          terminated_on: '1996-06-01',
        },
        // No grid reference: ONSPD's 99.999999, 0.000000 placeholder is no location, not a point off Norway.
        {
          postcode: 'AB11 3AG',
          outcode: 'AB11',
          latitude: null,
          longitude: null,
          la_code: null,
          lsoa11_code: null,
          lsoa21_code: null,
          country_code: 'S92000003',
          terminated_on: '1997-07-01',
        },
        // Jersey: pseudo-codes (L99999999) for every statistical geography are stored as unknown.
        {
          postcode: 'JE2 4WD',
          outcode: 'JE2',
          latitude: null,
          longitude: null,
          la_code: null,
          lsoa11_code: null,
          lsoa21_code: null,
          country_code: 'L93000001',
          terminated_on: null,
        },
        {
          postcode: 'SE1 2DL',
          outcode: 'SE1',
          latitude: 51.498972,
          longitude: -0.071609,
          la_code: 'E09000028',
          lsoa11_code: 'E01004028',
          lsoa21_code: 'E01004028',
          country_code: 'E92000001',
          terminated_on: null,
        },
      ])
    })

    it('importing the same ONSPD file again changes nothing, not even row versions', async () => {
      await runImport(database.db, onspdSource, ONSPD)
      const before = await versions('directory.postcodes', 'postcode')
      const again = await runImport(database.db, onspdSource, ONSPD)
      expect(again).toMatchObject({ records: ONSPD_ROWS, inserted: 0, updated: 0, unchanged: ONSPD_ROWS })
      expect(await versions('directory.postcodes', 'postcode')).toEqual(before)
    })

    it('rejects an ONSPD file with a broken postcode or coordinate, by line, and stores none of it', async () => {
      // Constructed from the first 6 lines of the real file: line 3's pcds and line 5's latitude are broken.
      const broken = cutFrom(ONSPD, 6, (text) =>
        text.replace(',AB1 0AB,198001', ',AB1 0A,198001').replace('57.101474,', '157.101474,'),
      )
      const broken2 = cutFrom(ONSPD, 6, (text) => text.replace(',AB1 0AD,198001', ',AB1 0AD,198001,'))
      expect(await rejection(runImport(database.db, onspdSource, broken))).toEqual([
        { line: 2, reason: 'lat "157.101474" is not a UK latitude' },
        { line: 3, reason: 'pcds "AB1 0A" is not a postcode' },
      ])
      expect(await rejection(runImport(database.db, onspdSource, broken2))).toEqual([
        { line: 4, reason: 'the row has 53 columns, but the file has 52' },
      ])
      expect(await count('directory.postcodes')).toBe(0)
    })
  })

  describe('outcodes', () => {
    it('administrator imports the outcode centroids, and a second import changes nothing', async () => {
      const first = await runImport(database.db, outcodesSource, OUTCODES)
      expect(first).toMatchObject({ records: OUTCODE_ROWS, inserted: OUTCODE_ROWS, updated: 0, unchanged: 0 })
      expect(await count('directory.outcodes')).toBe(OUTCODE_ROWS)
      const before = await versions('directory.outcodes', 'outcode')
      const again = await runImport(database.db, outcodesSource, OUTCODES)
      expect(again).toMatchObject({ records: OUTCODE_ROWS, inserted: 0, updated: 0, unchanged: OUTCODE_ROWS })
      expect(await versions('directory.outcodes', 'outcode')).toEqual(before)
      const { rows } = await sql`select * from directory.outcodes where outcode = 'AB10'`.execute(database.db)
      expect(rows).toEqual([{ outcode: 'AB10', latitude: 57.131086, longitude: -2.122482 }])
    })
  })

  describe('imd2019', () => {
    const e01000001 = sql`select * from directory.lsoa_deprivation where lsoa_code = 'E01000001'`

    it('administrator imports Files 6, 1 and 2 in any order, and each fills its own columns', async () => {
      const file6 = await runImport(database.db, imd2019Source, IMD_FILE_6)
      expect(file6).toMatchObject({ bom: true, records: IMD_ROWS, inserted: IMD_ROWS, updated: 0, rejected: 0 })
      const afterFile6 = (await e01000001.execute(database.db)).rows[0]
      expect(afterFile6).toMatchObject({ population_total: 1296, imd_rank: null, income_rank: null })

      const file1 = await runImport(database.db, imd2019Source, IMD_FILE_1)
      expect(file1).toMatchObject({ records: IMD_ROWS, inserted: 0, updated: IMD_ROWS, unchanged: 0 })
      const file2 = await runImport(database.db, imd2019Source, IMD_FILE_2)
      // File 2 repeats File 1's IMD rank and decile, and adds the seven domains to every row.
      expect(file2).toMatchObject({ records: IMD_ROWS, inserted: 0, updated: IMD_ROWS, unchanged: 0 })
      expect(await count('directory.lsoa_deprivation')).toBe(IMD_ROWS)
      expect(await count('directory.lsoa_deprivation', sql`imd_rank is null or crime_rank is null`)).toBe(0)
      expect(await count('directory.lsoa_deprivation', sql`population_total is null`)).toBe(0)

      // City of London 001A, as the three files give it ("29,199" and "1,296" with their thousands separators).
      expect((await e01000001.execute(database.db)).rows[0]).toEqual({
        lsoa_code: 'E01000001',
        lsoa_name: 'City of London 001A',
        la_code: 'E09000001',
        la_name: 'City of London',
        imd_rank: 29199,
        imd_decile: 9,
        income_rank: 32831,
        income_decile: 10,
        employment_rank: 32742,
        employment_decile: 10,
        education_rank: 32842,
        education_decile: 10,
        health_rank: 32113,
        health_decile: 10,
        crime_rank: 32662,
        crime_decile: 10,
        barriers_rank: 7319,
        barriers_decile: 3,
        living_environment_rank: 7789,
        living_environment_decile: 3,
        population_total: 1296,
        population_children: 175,
        population_16_59: 656,
        population_60_plus: 465,
        population_working_age: 715,
      })
    })

    it('importing any of the three files again changes nothing', async () => {
      for (const file of [IMD_FILE_1, IMD_FILE_2, IMD_FILE_6]) await runImport(database.db, imd2019Source, file)
      const before = await versions('directory.lsoa_deprivation', 'lsoa_code')
      for (const file of [IMD_FILE_1, IMD_FILE_2, IMD_FILE_6]) {
        const again = await runImport(database.db, imd2019Source, file)
        expect(again).toMatchObject({ records: IMD_ROWS, inserted: 0, updated: 0, unchanged: IMD_ROWS })
      }
      expect(await versions('directory.lsoa_deprivation', 'lsoa_code')).toEqual(before)
    })

    it('rejects a file that is none of Files 1, 2 and 6, and a rank out of range', async () => {
      // Constructed from File 1's first 3 lines: the IMD columns renamed as in File 5 (scores, not ranks).
      const scores = cutFrom(IMD_FILE_1, 3, (text) =>
        text
          .replace('Index of Multiple Deprivation (IMD) Rank', 'Index of Multiple Deprivation (IMD) Score')
          .replace('Index of Multiple Deprivation (IMD) Decile', 'Index of Multiple Deprivation (IMD) Score 2'),
      )
      const bad = await rejection(runImport(database.db, imd2019Source, scores))
      expect(bad.map((b) => b.line)).toEqual([2, 3])
      expect(bad[0]!.reason).toMatch(/not that of IoD2019 File 1 .*File 2 .*File 6/)
      // Constructed: File 1's first 3 lines, with line 3's decile 10 made 11.
      const decile = cutFrom(IMD_FILE_1, 3, (text) => text.replace('"30,379",10\r', '"30,379",11\r'))
      expect(await rejection(runImport(database.db, imd2019Source, decile))).toEqual([
        { line: 3, reason: '"Index of Multiple Deprivation (IMD) Decile" is "11", not a decile' },
      ])
      expect(await count('directory.lsoa_deprivation')).toBe(0)
    })
  })

  describe('locatePostcode', () => {
    beforeEach(async () => {
      await runImport(database.db, onspdSource, ONSPD)
      await runImport(database.db, outcodesSource, OUTCODES)
    })

    it('places a postcode ONSPD lists exactly, with its local authority and LSOA, however it is typed', async () => {
      const exact = {
        postcode: 'SE1 2DL',
        outcode: 'SE1',
        latitude: 51.498972,
        longitude: -0.071609,
        precision: 'exact',
        laCode: 'E09000028',
        lsoaCode: 'E01004028',
        terminated: false,
      }
      expect(await locatePostcode(database.db, 'SE1 2DL')).toEqual(exact)
      expect(await locatePostcode(database.db, ' se12dl ')).toEqual(exact)
      // A terminated postcode is still where it was: old addresses carry it.
      expect(await locatePostcode(database.db, 'AB1 0AA')).toMatchObject({
        precision: 'exact',
        latitude: 57.101474,
        terminated: true,
      })
    })

    it('falls back to the district centroid, marked approximate, where ONSPD has no point or no row', async () => {
      // In ONSPD without a grid reference.
      expect(await locatePostcode(database.db, 'AB11 3AG')).toEqual({
        postcode: 'AB11 3AG',
        outcode: 'AB11',
        latitude: 57.13121,
        longitude: -2.082261,
        precision: 'outcode',
        laCode: null,
        lsoaCode: null,
        terminated: true,
      })
      // The Densham Surgery's postcode (NHS ODS epraccur), not in the ONSPD sample; TS18 is in the centroids.
      expect(await locatePostcode(database.db, 'TS18 1HU')).toMatchObject({
        outcode: 'TS18',
        latitude: 54.557901,
        longitude: -1.317546,
        precision: 'outcode',
        laCode: null,
        terminated: false,
      })
    })

    it('gives no location for a postcode of a retired district, or text that is not a postcode', async () => {
      // Crown Street Surgery, Crumlin (epraccur): NP1 was recoded in the 1990s and has no centroid.
      expect(await locatePostcode(database.db, 'NP1 4PQ')).toBeNull()
      expect(await locatePostcode(database.db, 'not a postcode')).toBeNull()
      expect(await locatePostcode(database.db, '')).toBeNull()
    })
  })
})
