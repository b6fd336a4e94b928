// The blind test imports held-back slices of the real data sets that we cannot see (data/README.md, "holdout"). Each
// test here builds a file shaped like one of those slices from the matching sample in data/, following every
// difference the README states (columns, codes, regions, line endings), and imports it through the real importer:
// every record must be read, none rejected, and totals skipped only by record type.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { paths, runImport, type Database, type ImportSource } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { imd2019Source, onspdSource } from '../geography/index.ts'
import { giasLinksSource } from '../import/gias-links.ts'
import { giasSource, odsEpraccurSource, ofstedChildcareSource } from '../import/provider-sources.ts'
import { dfeCensusSource } from '../performance/census.import.ts'
import { dfeKs4Source } from '../performance/ks4.import.ts'
import { dfeKs5Source } from '../performance/ks5.import.ts'
import { countRows, useDirectoryDatabase } from './factories.ts'

const dir = mkdtempSync(join(tmpdir(), 'openchoice-holdout-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** One record of a sample: its cells read and changed by column name, or by position (from 0) in a headerless file. */
interface Row {
  get(column: string | number): string
  set(column: string | number, value: string): void
}

/** How a holdout file differs from the sample in data/ it is built from. */
interface Shape {
  /** The sample, under data/. */
  sample: string
  /** The file to write (the DfE importers read the academic year from the name). */
  name: string
  /** The sample has no header row (ODS epraccur). */
  headerless?: boolean
  /** Windows-1252 (the GIAS links file); it holds no byte that latin1 reads differently. */
  latin1?: boolean
  /** Which sample records to keep (default: all), then how many of them (default: all). */
  keep?: (row: Row) => boolean
  rows?: number
  /** The holdout's column list, made from the sample's; a new column starts empty. */
  columns?: (header: string[]) => string[]
  /** Changes one record (`index` counts the records kept, from 0). */
  edit?: (row: Row, index: number) => void
  /** Whether the last record ends with a line break (default: as the sample's does). */
  trailingNewline?: boolean
}

/** Splits one line into its cells as written, quotes and all (no sample has a line break inside a value). */
function rawCells(line: string): string[] {
  const cells: string[] = []
  for (let start = 0; ;) {
    // A quoted cell ends at the quote that is not doubled; its commas are not separators.
    let end = start
    if (line[start] === '"') {
      end = start + 1
      while (end < line.length && !(line[end] === '"' && line[end + 1] !== '"')) end += line[end] === '"' ? 2 : 1
    }
    const comma = line.indexOf(',', end)
    cells.push(line.slice(start, comma === -1 ? line.length : comma))
    if (comma === -1) return cells
    start = comma + 1
  }
}

const unquote = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell)

/**
 * Writes a holdout-shaped copy of a sample and returns its path: the holdout's columns first, then the records kept
 * and edited in that layout. Everything the shape does not change stays as the sample has it, byte for byte: byte
 * order mark, line endings, each cell's quoting. A changed cell keeps the quotes it had (epraccur quotes every cell,
 * empty ones too), and gains them when its new value needs them.
 */
function holdoutShaped(shape: Shape): string {
  const encoding = shape.latin1 ? 'latin1' : 'utf8'
  const text = readFileSync(join(paths.data, shape.sample), encoding)
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : ''
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = text.slice(bom.length).split(eol)
  const trailing = lines.at(-1) === ''
  if (trailing) lines.pop()
  const sampleHeader = shape.headerless ? undefined : rawCells(lines.shift()!)
  const sampleNames = sampleHeader?.map(unquote) ?? rawCells(lines[0]!).map((_, i) => String(i))
  const names = shape.columns?.(sampleNames) ?? sampleNames
  const from = names.map((name) => sampleNames.indexOf(name))
  const relaid = (cells: string[], added: (name: string) => string) =>
    from.map((i, c) => (i < 0 ? added(names[c]!) : cells[i]!))

  const columnOf = (column: string | number) => {
    const i = typeof column === 'number' ? column : names.indexOf(column)
    if (i < 0 || i >= names.length) throw new Error(`${shape.sample} has no column ${column}`)
    return i
  }
  const rowOf = (cells: string[]): Row => ({
    get: (column) => unquote(cells[columnOf(column)]!),
    set(column, value) {
      const i = columnOf(column)
      const quoted = cells[i]!.startsWith('"') || /[",\r\n]/.test(value)
      cells[i] = quoted ? `"${value.replace(/"/g, '""')}"` : value
    },
  })
  const records = lines.map((line, i) => {
    const cells = rawCells(line)
    if (cells.length !== sampleNames.length) throw new Error(`${shape.sample} record ${i + 1} was not split right`)
    return relaid(cells, () => '')
  })
  const kept = records.filter((cells) => shape.keep?.(rowOf(cells)) ?? true).slice(0, shape.rows)
  kept.forEach((cells, i) => shape.edit?.(rowOf(cells), i))

  const body = kept.map((cells) => cells.join(','))
  if (sampleHeader) body.unshift(relaid(sampleHeader, (name) => name).join(','))
  const path = join(dir, shape.name)
  writeFileSync(path, bom + body.join(eol) + ((shape.trailingNewline ?? trailing) ? eol : ''), encoding)
  return path
}

/** `columns` with `added` put straight after the column `after`. */
function insertAfter(columns: string[], after: string, added: string): string[] {
  const i = columns.indexOf(after)
  if (i < 0) throw new Error(`no column ${after}`)
  return [...columns.slice(0, i + 1), added, ...columns.slice(i + 1)]
}

// GIAS: the 2024 holdout file has 140 columns (without `CensusAreaStatisticWard (name)`, with `FSM` and
// `AccreditationExpiryDate`), and holds City of London and Welsh LAs other than the sample's. Built from all 69 rows
// of the 2021 sample, which is written as GIAS writes it (quoted only when needed, CRLF, no final line break).
const CITY_OF_LONDON = ['201', 'City of London']
const OTHER_WELSH_LAS = [
  ['660', 'Isle of Anglesey'],
  ['670', 'Swansea'],
  ['679', 'Monmouthshire'],
]
const GIAS_2024 = holdoutShaped({
  sample: 'gias/edubasealldata_extract_2021-05_sample.csv',
  name: 'edubasealldata20240901.csv',
  columns: (header) =>
    insertAfter(
      insertAfter(
        header.filter((c) => c !== 'CensusAreaStatisticWard (name)'),
        'PercentageFSM',
        'FSM',
      ),
      'EstablishmentAccredited (name)',
      'AccreditationExpiryDate',
    ),
  edit(row, i) {
    // FSM is the number of pupils eligible for free school meals (blank where PercentageFSM is).
    const [pupils, percent] = [row.get('NumberOfPupils'), row.get('PercentageFSM')]
    if (pupils && percent) row.set('FSM', String(Math.round((Number(pupils) * Number(percent)) / 100)))
    // The Welsh schools move to other Welsh LAs, and the first four (Camden) schools to the City of London.
    const welsh = row.get('TypeOfEstablishment (name)') === 'Welsh establishment'
    const [code, name] = welsh ? OTHER_WELSH_LAS[i % OTHER_WELSH_LAS.length]! : i < 4 ? CITY_OF_LONDON : []
    if (code && name) {
      row.set('LA (code)', code)
      row.set('LA (name)', name)
    }
  },
  trailingNewline: false,
})

// GIAS links: the holdout is every link whose URN is 135000 or more. The sample's links to such schools, seen from the
// other end (URN and LinkURN swapped), are links of that kind; still Windows-1252 and CRLF.
const LINKS_FROM_NEWER_URNS = holdoutShaped({
  sample: 'gias/links_edubasealldata20250422_urn_lt_135000.csv',
  name: 'links_edubasealldata20250422_urn_ge_135000.csv',
  latin1: true,
  keep: (row) => Number(row.get('LinkURN')) >= 135_000,
  edit(row) {
    const [urn, linked] = [row.get('URN'), row.get('LinkURN')]
    row.set('URN', linked)
    row.set('LinkURN', urn)
  },
})

// ODS epraccur: the holdout's National Grouping (column 3) is one of these; blank is written `""` like every cell.
const OTHER_GROUPINGS = ['Y60', 'Y59', 'Y61', 'Y58', 'Y54', 'Y55', 'Y57', 'Y99', '']
const EPRACCUR_OTHER_GROUPINGS = holdoutShaped({
  sample: 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv',
  name: 'epraccur_other_groupings.csv',
  headerless: true,
  rows: 900,
  edit: (row, i) => row.set(2, OTHER_GROUPINGS[i % OTHER_GROUPINGS.length]!),
})

// IoD2019 Files 1, 2 and 6: the holdout is shire (E07) and metropolitan (E08) districts, and each file ends without a
// line break after its last row. The first 500 LSOAs of each file (the same LSOAs in all three).
const IMD_ROWS = 500
const IMD_FILES = [
  'File_1_-_IMD2019_Index_of_Multiple_Deprivation__LAD_E06_E09.csv',
  'File_2_-_IoD2019_Domains_of_Deprivation__LAD_E06_E09.csv',
  'File_6_-_IoD2019_Population_Denominators__LAD_E06_E09.csv',
].map((file) =>
  holdoutShaped({
    sample: `imd2019/${file}`,
    name: file.replace('E06_E09', 'E07_E08'),
    rows: IMD_ROWS,
    edit(row) {
      const la = 'Local Authority District code (2019)'
      row.set(la, row.get(la).replace(/^E06/, 'E07').replace(/^E09/, 'E08'))
    },
    trailingNewline: false,
  }),
)

// ONSPD: the holdout is Aberdeen districts AB12 to AB16, in the same layout. The sample's AB10 postcodes become
// AB12-AB14 and its AB11 ones AB15-AB16, in all three postcode columns (pcd7 "AB101AA", pcd8 and pcds "AB10 1AA").
const ONSPD_ABERDEEN = holdoutShaped({
  sample: 'onspd/onspd_extract_AB1_AB10_AB11_plus_nonAB.csv',
  name: 'onspd_extract_AB12_AB16.csv',
  keep: (row) => /^AB1[01] /.test(row.get('pcds')),
  edit(row, i) {
    const district = row.get('pcds').startsWith('AB10 ') ? ['AB12', 'AB13', 'AB14'][i % 3]! : ['AB15', 'AB16'][i % 2]!
    for (const column of ['pcd7', 'pcd8', 'pcds']) row.set(column, row.get(column).replace(/^AB1[01]/, district))
  },
})

// Ofsted childcare: the holdout is six other local authorities, with the same header.
const OTHER_OFSTED_LAS = [
  ['Kent', 'South East'],
  ['Birmingham', 'West Midlands'],
  ['Norfolk', 'East of England'],
  ['Hackney', 'London'],
  ['Liverpool', 'North West'],
  ['Newcastle upon Tyne', 'North East'],
]
const OFSTED_OTHER_LAS = holdoutShaped({
  sample:
    'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
  name: 'childcare_providers_2021-08-31_Kent_Birmingham_Norfolk_Hackney_Liverpool_Newcastle.csv',
  edit(row, i) {
    const [la, region] = OTHER_OFSTED_LAS[i % OTHER_OFSTED_LAS.length]!
    row.set('Local authority', la!)
    row.set('Region', region!)
  },
})

// DfE performance tables and census: the holdout is LA numbers 800-938 (unitary authorities and shire counties), and
// the KS5 files end without a line break. Each sample LA number becomes one of these real ones (Bath and North East
// Somerset, Central Bedfordshire, Hampshire, Kent, Cornwall, West Sussex); England rows keep their blank LA.
const HOLDOUT_LAS = ['800', '823', '850', '886', '908', '938']
const toHoldoutLa = (la: string) => (la === '' ? '' : HOLDOUT_LAS[Number(la) % HOLDOUT_LAS.length]!)
const dfeShaped = (sample: string, laColumn: string, rows: number, trailingNewline?: boolean) =>
  holdoutShaped({
    sample: `dfe_performance_tables/${sample}`,
    name: sample.replace('LA_lt_800', 'LA_800_938'),
    rows,
    edit: (row) => row.set(laColumn, toHoldoutLa(row.get(laColumn))),
    trailingNewline,
  })
const KS4 = dfeShaped('england_ks4provisional_2018-19__LA_lt_800.csv', 'LEA', 150)
const KS5_2016 = dfeShaped('england_ks5final_2015-16__LA_lt_800.csv', 'LEA', 150, false)
const KS5_2017 = dfeShaped('england_ks5final_2016-17__LA_lt_800.csv', 'LEA', 150, false)
const CENSUS = dfeShaped('england_census_2018-19__LA_lt_800.csv', 'LA', 300)

describe('files shaped like the held-back slices (data/README.md)', () => {
  it('are built as the README describes them', () => {
    const gias = readFileSync(GIAS_2024, 'utf8')
    const [giasHeader, ...schools] = parse(gias) as string[][] // and every record has the header's 140 fields
    expect(giasHeader).toHaveLength(140)
    expect(giasHeader).not.toContain('CensusAreaStatisticWard (name)')
    const after = (column: string) => giasHeader![giasHeader!.indexOf(column) + 1]
    expect([after('PercentageFSM'), after('EstablishmentAccredited (name)')]).toEqual([
      'FSM',
      'AccreditationExpiryDate',
    ])
    expect(schools).toHaveLength(69)
    const fsm = schools.map((school) => school[giasHeader!.indexOf('FSM')]!).filter((v) => v !== '')
    expect(fsm.length).toBeGreaterThan(0)
    expect(fsm.filter((v) => !/^\d+$/.test(v))).toEqual([])
    expect(gias.split('\r\n')).toHaveLength(70)
    expect(gias).not.toMatch(/\r?\n$/)

    const [linksHeader, firstLink] = readFileSync(LINKS_FROM_NEWER_URNS, 'latin1').split('\r\n')
    expect(linksHeader).toBe('"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"')
    expect(firstLink).toMatch(/^1[3-9]\d{4},1[0-3]\d{4},"/)
    expect(readFileSync(EPRACCUR_OTHER_GROUPINGS, 'utf8').split('\n').slice(7, 9)).toEqual([
      expect.stringMatching(/^"[A-Z]\d{5}","[^"]+","Y99",/),
      expect.stringMatching(/^"[A-Z]\d{5}","[^"]+","",/),
    ])
    for (const file of [...IMD_FILES, KS5_2016, KS5_2017]) {
      const text = readFileSync(file, 'utf8')
      expect(text.startsWith('\uFEFF')).toBe(true)
      expect(text).toMatch(/[^\r\n]$/)
    }
    expect(readFileSync(IMD_FILES[0]!, 'utf8').split('\r\n')[1]).toBe(
      'E01000001,City of London 001A,E08000001,City of London,"29,199",9',
    )
    expect(readFileSync(ONSPD_ABERDEEN, 'utf8').split('\n')[1]).toMatch(/^AB12\d\w\w,AB12 \d\w\w,AB12 \d\w\w,/)
  })
})

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  /** Imports a file that must import whole: no record rejected. */
  const importAll = async <Row>(source: ImportSource<Row>, file: string) => {
    const summary = await runImport(database.db, source, file)
    expect(summary).toMatchObject({ rejected: 0, bad: [] })
    return summary
  }
  const countWhere = async (table: string, where: ReturnType<typeof sql>) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(database.db))
      .rows[0]!.n

  it('GIAS 2024 layout (140 columns), City of London and other Welsh LAs: all 69 schools', async () => {
    expect(await importAll(giasSource, GIAS_2024)).toMatchObject({ records: 69, inserted: 69, skipped: {} })
    expect(await countRows(database, 'directory.services')).toBe(69)
    const { rows } = await sql<{ la: string; n: number }>`
      select la_name as la, count(*)::int as n from directory.locations group by 1 order by 1`.execute(database.db)
    expect(rows).toEqual([
      { la: 'Camden', n: 40 },
      { la: 'City of London', n: 4 },
      { la: 'Isle of Anglesey', n: 8 },
      { la: 'Monmouthshire', n: 9 },
      { la: 'Swansea', n: 8 },
    ])
  })

  it('GIAS links whose URN is 135000 or more, Windows-1252', async () => {
    expect(await importAll(giasLinksSource, LINKS_FROM_NEWER_URNS)).toMatchObject({
      encoding: 'windows-1252',
      records: 11_469,
      inserted: 11_469,
      skipped: {},
    })
    expect(await countWhere('directory.school_links', sql`urn < 135000`)).toBe(0)
    expect(await countRows(database, 'directory.school_links')).toBe(11_469)
  })

  it('ODS epraccur with the other national groupings, legacy, Y99 and blank ones', async () => {
    expect(await importAll(odsEpraccurSource, EPRACCUR_OTHER_GROUPINGS)).toMatchObject({
      records: 900,
      inserted: 820,
      skipped: { 'not a GP practice (ODS prescribing setting)': 80 },
    })
    expect(await countWhere('directory.services', sql`source = 'ods-epraccur'`)).toBe(820)
  })

  it('IoD2019 Files 1, 2 and 6 for E07 and E08 districts, without a final line break', async () => {
    const [file1, file2, file6] = IMD_FILES as [string, string, string]
    expect(await importAll(imd2019Source, file1)).toMatchObject({ records: IMD_ROWS, inserted: IMD_ROWS })
    expect(await importAll(imd2019Source, file2)).toMatchObject({ records: IMD_ROWS, updated: IMD_ROWS })
    expect(await importAll(imd2019Source, file6)).toMatchObject({ records: IMD_ROWS, updated: IMD_ROWS })
    const complete = sql`la_code ~ '^E0[78]' and imd_rank is not null and living_environment_decile is not null
      and population_working_age is not null`
    expect(await countWhere('directory.lsoa_deprivation', complete)).toBe(IMD_ROWS)
    // The last row, with no line break after it, is read whole: Brent 018C (E01000507), working age "1,051" in File 6.
    const { rows } = await sql`select la_code, imd_rank, population_total, population_working_age
      from directory.lsoa_deprivation where lsoa_code = 'E01000507'`.execute(database.db)
    expect(rows).toEqual([
      { la_code: 'E08000005', imd_rank: 12769, population_total: 1627, population_working_age: 1051 },
    ])
  })

  it('ONSPD postcodes in AB12 to AB16', async () => {
    expect(await importAll(onspdSource, ONSPD_ABERDEEN)).toMatchObject({ records: 1799, inserted: 1799 })
    const { rows } = await sql<{ outcode: string; n: number }>`
      select outcode, count(*)::int as n from directory.postcodes group by 1 order by 1`.execute(database.db)
    expect(rows.map((r) => r.outcode)).toEqual(['AB12', 'AB13', 'AB14', 'AB15', 'AB16'])
    expect(await countWhere('directory.postcodes', sql`terminated_on is not null`)).toBe(489)
  })

  it('Ofsted childcare providers in other local authorities', async () => {
    expect(await importAll(ofstedChildcareSource, OFSTED_OTHER_LAS)).toMatchObject({
      records: 3949,
      inserted: 1367,
      skipped: { 'individual childcarer: name and address not published': 2582 },
    })
    const { rows } = await sql<{ la: string }>`
      select distinct la_name as la from directory.locations order by 1`.execute(database.db)
    expect(rows.map((r) => r.la)).toEqual(OTHER_OFSTED_LAS.map(([la]) => la).sort())
  })

  const LA_TOTAL = 'local authority total'
  const ENGLAND_TOTAL = 'England total'
  it.each([
    ['KS4', dfeKs4Source, KS4, 'directory.school_ks4_results', 150, 143, { [LA_TOTAL]: 7 }],
    [
      'KS5 2015/16',
      dfeKs5Source,
      KS5_2016,
      'directory.school_ks5_results',
      150,
      139,
      { [LA_TOTAL]: 9, [ENGLAND_TOTAL]: 2 },
    ],
    [
      'KS5 2016/17',
      dfeKs5Source,
      KS5_2017,
      'directory.school_ks5_results',
      150,
      141,
      { [LA_TOTAL]: 7, [ENGLAND_TOTAL]: 2 },
    ],
    ['census', dfeCensusSource, CENSUS, 'directory.school_census', 300, 300, {}],
  ] as const)(
    'DfE %s with LA numbers 800-938: every school kept, LA and England totals skipped by record type',
    async (_, source, file, table, records, inserted, skipped) => {
      const summary = await importAll(source as ImportSource<unknown>, file)
      expect(summary).toMatchObject({ records, inserted })
      expect(summary.skipped).toEqual(skipped)
      expect(await countRows(database, table)).toBe(inserted)
      const { rows } = await sql<{ la: string }>`
        select distinct la_number as la from ${sql.table(table)} order by 1`.execute(database.db)
      expect(rows.map((r) => r.la)).toEqual(HOLDOUT_LAS)
    },
  )
})
