import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ImportRejectedError, paths, runImport, type Database, type ImportSource } from '../../../../platform/index.ts'
import { createTestDatabase, testDialects } from '../../../../platform/testing/index.ts'
import { modules } from '../../../registry.ts'
import { dfeCensusSource } from '../census.import.ts'
import { dfeKs4Source } from '../ks4.import.ts'
import { dfeKs5Source } from '../ks5.import.ts'
import { schoolPerformance } from '../performance.service.ts'

// The DfE samples in data/ (copied unchanged from the shared data folder; data/README.md).
const SAMPLES = process.env.DFE_SAMPLES_DIR ?? join(paths.data, 'dfe_performance_tables')
const KS4 = join(SAMPLES, 'england_ks4provisional_2018-19__LA_lt_800.csv')
const KS5_2016 = join(SAMPLES, 'england_ks5final_2015-16__LA_lt_800.csv')
const KS5_2017 = join(SAMPLES, 'england_ks5final_2016-17__LA_lt_800.csv')
const CENSUS = join(SAMPLES, 'england_census_2018-19__LA_lt_800.csv')

const TABLES = ['directory.school_ks4_results', 'directory.school_ks5_results', 'directory.school_census'] as const

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'openchoice-dfe-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The sample's records (header first), as csv-parse reads them. */
function readSample(path: string): string[][] {
  return parse(readFileSync(path, 'utf8'), { bom: true }) as string[][]
}

/** Writes records as DfE does (quoted only when needed, LF), or with every field quoted and CRLF. */
function writeCsv(name: string, records: string[][], style: 'dfe' | 'quoted-crlf' = 'dfe'): string {
  const field = (v: string) => (style === 'quoted-crlf' || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const path = join(tmp, name)
  const eol = style === 'dfe' ? '\n' : '\r\n'
  writeFileSync(path, records.map((r) => r.map(field).join(',')).join(eol) + eol)
  return path
}

/** A copy of the sample's header and first `n` records, with `change` applied to record `i` (1 = first record). */
function sampleWith(path: string, name: string, n: number, changes: Record<number, Record<string, string>>): string {
  const [header, ...rows] = readSample(path)
  const kept = rows.slice(0, n).map((row, i) => {
    const change = changes[i + 1]
    return change ? row.map((v, c) => change[header![c]!] ?? v) : row
  })
  return writeCsv(name, [header!, ...kept])
}

async function count(database: Database, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)
  return rows[0]!.n
}

async function versions(database: Database, table: string) {
  const { rows } = await sql`select urn, academic_year, xmin::text as version, imported_at
    from ${sql.table(table)} order by urn, academic_year`.execute(database.db)
  return rows
}

describe('DfE performance tables and census', () => {
  describe.each(testDialects())('%s', (dialect) => {
    let database: Database
    const load = <Row>(source: ImportSource<Row>, file: string, opts: { skipInvalid?: boolean } = {}) =>
      runImport(database.db, source, file, opts)

    beforeAll(async () => {
      database = await createTestDatabase(dialect, modules)
    })
    afterAll(async () => database?.close())
    beforeEach(async () => {
      await sql.raw(`truncate ${TABLES.join(', ')}`).execute(database.db)
    })

    it('administrator imports the KS4 sample: every school kept, LA and England totals skipped and counted', async () => {
      const s = await load(dfeKs4Source, KS4)
      expect(s).toMatchObject({ records: 2068, inserted: 1995, updated: 0, unchanged: 0, rejected: 0 })
      expect(s.skipped).toEqual({ 'local authority total': 71, 'England total': 2 })
      expect(await count(database, 'directory.school_ks4_results')).toBe(1995)
    })

    it.each([
      ['2015/16', KS5_2016, 1264, 1192],
      ['2016/17', KS5_2017, 1248, 1176],
    ])('administrator imports the KS5 %s sample', async (year, file, records, kept) => {
      const s = await load(dfeKs5Source, file)
      expect(s).toMatchObject({ records, inserted: kept, updated: 0, unchanged: 0, rejected: 0 })
      expect(s.skipped).toEqual({ 'local authority total': 70, 'England total': 2 })
      const { rows } = await sql<{ year: string; n: number }>`select academic_year as year, count(*)::int as n
        from directory.school_ks5_results group by 1`.execute(database.db)
      expect(rows).toEqual([{ year, n: kept }])
    })

    it('administrator imports the census sample: the three England rows (URN "NAT") are skipped', async () => {
      const s = await load(dfeCensusSource, CENSUS)
      expect(s).toMatchObject({ records: 7976, inserted: 7973, updated: 0, unchanged: 0, rejected: 0 })
      expect(s.skipped).toEqual({ 'England total': 3 })
      expect(await count(database, 'directory.school_census')).toBe(7973)
    })

    it('parent sees Progress 8 with its published confidence interval', async () => {
      await load(dfeKs4Source, KS4)
      const { ks4 } = await schoolPerformance(database.db, 100053) // Acland Burghley School
      expect(ks4).toMatchObject({
        academicYear: '2018/19',
        schoolName: 'Acland Burghley School',
        pupils: 136,
        attainment8: 47.2,
        progress8: -0.08,
        progress8Lower: -0.3,
        progress8Upper: 0.14,
        progress8Pupils: 128,
        progress8Banding: 3,
        pctEnglishMathsGrade4: 66.2,
        pctEnglishMathsGrade5: 47.1,
        pctEbaccEntered: 51.5,
        ebaccAps: 4.29,
        notPublished: {},
      })
    })

    it('suppressed and missing values are null with their DfE marker, never 0', async () => {
      await load(dfeKs4Source, KS4)
      await load(dfeKs5Source, KS5_2017)
      await load(dfeCensusSource, CENSUS)
      const small = (await schoolPerformance(database.db, 100381)).ks4! // Jack Tizard School: 2 pupils
      expect(small.pupils).toBe(2)
      expect(small.attainment8).toBeNull()
      expect(small.progress8).toBeNull()
      expect(small.notPublished).toMatchObject({
        attainment8: 'SUPP',
        progress8: 'SUPP',
        pctEnglishMathsGrade5: 'SUPP',
      })
      expect(small.notPublished.progress8Banding).toBeUndefined() // blank in the file: no marker

      const lowCoverage = (await schoolPerformance(database.db, 140966)).ks4! // Trinity Academy
      expect(lowCoverage).toMatchObject({ attainment8: 36.4, progress8: null, pctEnglishMathsGrade5: 23.3 })
      expect(lowCoverage.notPublished).toMatchObject({ progress8: 'LOWCOV', progress8Lower: 'LOWCOV' })

      const noEntries = (await schoolPerformance(database.db, 100096)).ks4!
      expect(noEntries).toMatchObject({ special: true, pupils: 12, attainment8: null })
      expect(noEntries.notPublished.attainment8).toBe('NE')

      const newCollege = (await schoolPerformance(database.db, 144714)).ks5! // New College Doncaster
      expect(newCollege.students).toBeNull()
      expect(newCollege.notPublished.students).toBe('NEW')

      const independent = (await schoolPerformance(database.db, 100001)).census! // City of London School for Girls
      expect(independent).toMatchObject({ pupils: 752, girls: 752, boys: 0, pctGirls: 100, fsm: null, pctEal: null })
      expect(independent.notPublished).toMatchObject({ fsm: 'NA', pctEal: 'NA', pctFsmEver6Years: 'NA' })
      const { rows } = await sql<{ zeros: number }>`select count(*)::int as zeros from directory.school_ks4_results
        where markers ? 'attainment8' and attainment8 is not null`.execute(database.db)
      expect(rows[0]!.zeros).toBe(0)
    })

    it('KS5 rows keep the address and postcode, grades, value added with its interval, and retention', async () => {
      await load(dfeKs5Source, KS5_2017)
      const { rows } = await sql`select address1, address2, town, postcode, telephone, consortium_members
        from directory.school_ks5_results where urn = 141354`.execute(database.db)
      expect(rows).toEqual([
        {
          address1: 'Maple Road',
          address2: null,
          town: 'Mexborough',
          postcode: 'S64 9SD',
          telephone: '0170 9585858',
          consortium_members: null,
        },
      ])
      const ks5 = (await schoolPerformance(database.db, 141354)).ks5!
      expect(ks5).toMatchObject({
        academicYear: '2016/17',
        alevelAps: 13.28,
        alevelGrade: 'E+',
        appliedGeneralAps: null,
        appliedGeneralGrade: null,
        alevelValueAdded: -0.39,
        alevelValueAddedLower: -0.61,
        alevelValueAddedUpper: -0.16,
        pctRetainedAlevel: 65,
        pctAabFacilitating: 0,
      })
      expect(ks5.notPublished).toMatchObject({ appliedGeneralAps: 'SUPP', appliedGeneralGrade: 'SUPP' })
    })

    it('a sixth-form consortium keeps its member schools, not their numbers as an address', async () => {
      await load(dfeKs5Source, KS5_2017)
      const { rows } = await sql`select school_name, record_type, postcode, town, consortium_members, students
        from directory.school_ks5_results where urn = 132838`.execute(database.db)
      expect(rows).toEqual([
        {
          school_name: 'LaSWAP Sixth Form',
          record_type: 3,
          postcode: null,
          town: null,
          consortium_members: ['2024166', '2024285', '2024688', '2025401'],
          students: 863,
        },
      ])
    })

    it('the newest year of each data set is what a school page gets, whether or not the school is listed', async () => {
      await load(dfeKs5Source, KS5_2017)
      await load(dfeKs5Source, KS5_2016)
      await load(dfeKs4Source, KS4)
      await load(dfeCensusSource, CENSUS)
      expect(await count(database, 'directory.school_ks5_results')).toBe(1192 + 1176)
      const p = await schoolPerformance(database.db, 100053)
      expect(p.ks5).toMatchObject({ academicYear: '2016/17', students: 210, alevelAps: 27.2 })
      expect(p.ks4?.academicYear).toBe('2018/19')
      expect(p.census).toMatchObject({ academicYear: '2018/19', pupils: 1008, pctFsmEver6Years: 47.1, ehcPlan: 62 })
      expect(await schoolPerformance(database.db, 999999)).toEqual({ urn: 999999, ks4: null, ks5: null, census: null })
    })

    it.each([
      ['dfe-ks4', dfeKs4Source as ImportSource<unknown>, KS4, 'directory.school_ks4_results', 1995],
      ['dfe-ks5', dfeKs5Source as ImportSource<unknown>, KS5_2017, 'directory.school_ks5_results', 1176],
      ['dfe-census', dfeCensusSource as ImportSource<unknown>, CENSUS, 'directory.school_census', 7973],
    ])('re-importing the same %s file changes nothing, not even row versions', async (_, source, file, table, n) => {
      await load(source, file)
      const before = await versions(database, table)
      const again = await runImport(database.db, source, file, { now: new Date('2030-01-01T00:00:00Z') })
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: n, rejected: 0 })
      expect(await versions(database, table)).toEqual(before)
    })

    it('a corrected figure updates that one school and nothing else', async () => {
      const original = sampleWith(KS4, 'ks4_2018-19_first50.csv', 50, {})
      await load(dfeKs4Source, original)
      // Record 4 is Acland Burghley School; its Attainment 8 is revised from 47.2. Records 3 and 23 are LA totals.
      const revised = sampleWith(KS4, 'ks4_2018-19_first50_revised.csv', 50, { 4: { ATT8SCR: '47.3' } })
      const s = await load(dfeKs4Source, revised)
      expect(s).toMatchObject({ inserted: 0, updated: 1, unchanged: 47 })
      expect((await schoolPerformance(database.db, 100053)).ks4?.attainment8).toBe(47.3)
    })

    it('a re-saved copy (no BOM, every field quoted, CRLF) reads the same and changes nothing', async () => {
      await load(dfeKs4Source, KS4)
      const resaved = writeCsv('england_ks4provisional_2018-2019.csv', readSample(KS4), 'quoted-crlf')
      const s = await load(dfeKs4Source, resaved)
      expect(s).toMatchObject({ bom: false, inserted: 0, updated: 0, unchanged: 1995, rejected: 0 })
    })

    it('a file with a malformed URN and an impossible percentage imports nothing and names both rows', async () => {
      await load(dfeCensusSource, CENSUS)
      const bad = sampleWith(KS4, 'ks4_2018-19_bad.csv', 40, {
        4: { URN: '10OO53' }, // Acland Burghley School, file line 5 (line 1 is the header)
        10: { PTL2BASICS_94: '140%', EBACCAPS: 'n/a' }, // Hampstead School, file line 11
        20: { P8MEA: '0.9' }, // The UCL Academy: outside its own confidence interval (-0.1 to 0.29)
      })
      const rejected = await load(dfeKs4Source, bad).catch((e: unknown) => e)
      expect(rejected).toBeInstanceOf(ImportRejectedError)
      const { bad: rows } = rejected as ImportRejectedError
      expect(rows.map((b) => b.line)).toEqual([5, 11, 21])
      expect(rows[0]!.reason).toBe('URN "10OO53" is not a URN')
      expect(rows[1]!.reason).toContain('PTL2BASICS_94 "140%" is more than 100%')
      expect(rows[1]!.reason).toContain('EBACCAPS "n/a" is not a number or a DfE marker')
      expect(rows[2]!.reason).toMatch(/^P8MEA 0\.9 is outside its confidence interval/)
      expect(await count(database, 'directory.school_ks4_results')).toBe(0)
      expect(await count(database, 'directory.school_census')).toBe(7973)
    })

    it('with skipInvalid the good rows are imported and the bad ones returned with their line numbers', async () => {
      const bad = sampleWith(CENSUS, 'census_2018-19_bad.csv', 30, {
        5: { URN: '' },
        6: { PNUMFSMEVER: '140' },
        7: { NOR: '-3' },
      })
      const s = await load(dfeCensusSource, bad, { skipInvalid: true })
      expect(s).toMatchObject({ records: 30, inserted: 27, rejected: 3 })
      expect(s.bad).toEqual([
        { line: 6, reason: 'URN is empty' },
        { line: 7, reason: 'PNUMFSMEVER "140" is more than 100%' },
        { line: 8, reason: 'NOR "-3" is not a whole number' },
      ])
      expect(await count(database, 'directory.school_census')).toBe(27)
    })

    it('an unknown record type or grade is a bad row, not a skipped one', async () => {
      const bad = sampleWith(KS5_2017, 'ks5_2016-17_bad.csv', 20, {
        2: { RECTYPE: '9' },
        4: { TALLPPEGRD_ALEV_1618: 'Z+', PCODE: 'NW5 IUJ' },
      })
      const rejected = (await load(dfeKs5Source, bad).catch((e: unknown) => e)) as ImportRejectedError
      expect(rejected.bad.map((b) => b.line)).toEqual([3, 5])
      expect(rejected.bad[0]!.reason).toMatch(/^RECTYPE "9" is not a KS5 record type/)
      expect(rejected.bad[1]!.reason).toContain('TALLPPEGRD_ALEV_1618 "Z+" is not an A level grade')
      expect(rejected.bad[1]!.reason).toContain('PCODE "NW5 IUJ" is not a UK postcode')
    })

    it('a file whose name does not give the academic year is refused, since the files carry none', async () => {
      const unnamed = sampleWith(KS4, 'england_ks4provisional.csv', 10, {})
      const rejected = (await load(dfeKs4Source, unnamed).catch((e: unknown) => e)) as ImportRejectedError
      expect(rejected).toBeInstanceOf(ImportRejectedError)
      expect(rejected.bad).toEqual([{ line: 0, reason: expect.stringContaining('does not say which academic year') }])
      expect(await count(database, 'directory.school_ks4_results')).toBe(0)
    })

    it('a census file offered as KS4 is refused by its header', async () => {
      const rejected = (await load(dfeKs4Source, CENSUS).catch((e: unknown) => e)) as ImportRejectedError
      expect(rejected.bad).toEqual([{ line: 1, reason: expect.stringContaining('the header has no "RECTYPE"') }])
    })
  })
})
