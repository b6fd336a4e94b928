import type { AnyDb, ImportCounts, ImportSource, RecordResult } from '../../../platform/index.ts'
import type { LsoaDeprivationTable } from '../tables.ts'
import { upsertCountingChanges } from './upsert.queries.ts'

type Measure = Exclude<keyof LsoaDeprivationTable, 'lsoa_code' | 'lsoa_name' | 'la_code' | 'la_name'>
type Kind = 'rank' | 'decile' | 'count'

interface IodFile {
  name: string
  /** directory.lsoa_deprivation column, the file's header for it, and what it holds. */
  measures: readonly (readonly [Measure, string, Kind])[]
}

const ID_COLUMNS = {
  lsoa_code: 'LSOA code (2011)',
  lsoa_name: 'LSOA name (2011)',
  la_code: 'Local Authority District code (2019)',
  la_name: 'Local Authority District name (2019)',
} as const

const MOST = '(where 1 is most deprived)'
const MOST_10 = '(where 1 is most deprived 10% of LSOAs)'
const domain = (column: string, title: string) =>
  [
    [`${column}_rank`, `${title} Rank ${MOST}`, 'rank'],
    [`${column}_decile`, `${title} Decile ${MOST_10}`, 'decile'],
  ] as [Measure, string, Kind][]

// The published files (MHCLG, 26 September 2019), as "Save as CSV UTF-8" of the .xlsx sheets: each header names its
// file, so `openchoice import imd2019` takes any of them and fills that file's columns only.
const FILES: readonly IodFile[] = [
  {
    name: 'File 1 (Index of Multiple Deprivation)',
    measures: [
      ['imd_rank', 'Index of Multiple Deprivation (IMD) Rank', 'rank'],
      ['imd_decile', 'Index of Multiple Deprivation (IMD) Decile', 'decile'],
    ],
  },
  {
    name: 'File 2 (domains of deprivation)',
    measures: [
      ...domain('imd', 'Index of Multiple Deprivation (IMD)'),
      ...domain('income', 'Income'),
      ...domain('employment', 'Employment'),
      ...domain('education', 'Education, Skills and Training'),
      ...domain('health', 'Health Deprivation and Disability'),
      ...domain('crime', 'Crime'),
      ...domain('barriers', 'Barriers to Housing and Services'),
      ...domain('living_environment', 'Living Environment'),
    ],
  },
  {
    name: 'File 6 (population denominators)',
    measures: [
      ['population_total', 'Total population: mid 2015 (excluding prisoners)', 'count'],
      ['population_children', 'Dependent Children aged 0-15: mid 2015 (excluding prisoners)', 'count'],
      ['population_16_59', 'Population aged 16-59: mid 2015 (excluding prisoners)', 'count'],
      ['population_60_plus', 'Older population aged 60 and over: mid 2015 (excluding prisoners)', 'count'],
      [
        'population_working_age',
        'Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)',
        'count',
      ],
    ],
  },
]

/** One LSOA's values from one of the files: the ID columns, and that file's measures only. */
export type LsoaDeprivationInput = Pick<LsoaDeprivationTable, keyof typeof ID_COLUMNS> &
  Partial<Pick<LsoaDeprivationTable, Measure>> & { file: IodFile }

// There are 32,844 LSOAs in England (2011 boundaries); ranks run 1 (most deprived) to 32,844.
const LSOAS = 32844
// Files 1 and 6 write numbers of 1,000 and over with a thousands separator ("29,199", "1,296"); File 2 does not.
const INTEGER = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/
const LSOA_CODE = /^E01\d{6}$/
const LA_CODE = /^E0[6-9]\d{6}$/

function measure(value: string | undefined, kind: Kind): number | undefined {
  const v = value?.trim() ?? ''
  if (!INTEGER.test(v)) return undefined
  const n = Number(v.replace(/,/g, ''))
  if (kind === 'rank') return n >= 1 && n <= LSOAS ? n : undefined
  if (kind === 'decile') return n >= 1 && n <= 10 ? n : undefined
  return n
}

const EXPECTED = FILES.map((f) => f.name).join(', ')

/** Which of the files a record comes from, by its header: each file's first measure column is its own. */
function fileOf(r: Record<string, string>): IodFile | undefined {
  return FILES.find((f) => r[f.measures[0]![1]] !== undefined)
}

/** Checks one record of File 1, 2 or 6 and turns it into that file's columns of directory.lsoa_deprivation. */
export function iodToRow(r: Record<string, string>): RecordResult<LsoaDeprivationInput> {
  const file = fileOf(r)
  if (!file) return { invalid: `the header is not that of IoD2019 ${EXPECTED}` }
  // Listed, not spread: a spread object that then gains properties falls into V8's slow dictionary mode (10x slower).
  const row: LsoaDeprivationInput = {
    lsoa_code: (r[ID_COLUMNS.lsoa_code] ?? '').trim(),
    lsoa_name: (r[ID_COLUMNS.lsoa_name] ?? '').trim(),
    la_code: (r[ID_COLUMNS.la_code] ?? '').trim(),
    la_name: (r[ID_COLUMNS.la_name] ?? '').trim(),
    file,
  }
  if (!LSOA_CODE.test(row.lsoa_code)) return { invalid: `"${row.lsoa_code}" is not an English LSOA code` }
  if (!row.lsoa_name) return { invalid: `${row.lsoa_code} has no LSOA name` }
  if (!LA_CODE.test(row.la_code)) return { invalid: `"${row.la_code}" is not an English local authority code` }
  if (!row.la_name) return { invalid: `${row.lsoa_code} has no local authority name` }
  for (const [column, header, kind] of file.measures) {
    const value = r[header]
    if (value === undefined) return { invalid: `the header has no "${header}" column (IoD2019 ${file.name})` }
    const n = measure(value, kind)
    if (n === undefined) return { invalid: `"${header}" is "${value}", not a ${kind}` }
    row[column] = n
  }
  return { row }
}

const ID_TYPES = { lsoa_code: 'text', lsoa_name: 'text', la_code: 'text', la_name: 'text' } as const
const KIND_TYPES = { rank: 'int4', decile: 'int2', count: 'int4' } as const

/** Stores each file's columns only: importing File 2 after File 1 adds the domains and keeps what File 1 gave. */
async function storeIod(trx: AnyDb, rows: LsoaDeprivationInput[]): Promise<ImportCounts> {
  const total: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 }
  for (const file of FILES) {
    const ofFile = rows.filter((r) => r.file === file)
    if (!ofFile.length) continue
    const columns = { ...ID_TYPES, ...Object.fromEntries(file.measures.map(([c, , kind]) => [c, KIND_TYPES[kind]])) }
    const counts = await upsertCountingChanges(trx, 'directory.lsoa_deprivation', 'lsoa_code', columns, ofFile)
    total.inserted += counts.inserted
    total.updated += counts.updated
    total.unchanged += counts.unchanged
  }
  return total
}

/**
 * English Indices of Deprivation 2019 at LSOA level: File 1 (IMD rank and decile), File 2 (IMD and the seven domain
 * ranks and deciles) or File 6 (population denominators, mid-2015), as published (UTF-8 with BOM, CRLF). Any of the
 * three files may be given, in any order; each fills its own columns.
 */
export const imd2019Source: ImportSource<LsoaDeprivationInput> = {
  name: 'imd2019',
  description: 'English Indices of Deprivation 2019, LSOA level: File 1, 2 or 6 (detected from the header)',
  layout: { kind: 'header', required: Object.values(ID_COLUMNS) },
  parse: iodToRow,
  key: (row) => row.lsoa_code,
  store: storeIod,
}
