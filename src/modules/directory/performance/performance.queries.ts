import { sql, type Insertable, type Kysely, type Selectable } from 'kysely'
import { moduleDb, type AnyDb, type ImportCounts, type ImportRun } from '../../../platform/index.ts'
import { academicYearOfRun, withProvenance, type ParsedRow } from './dfe-values.ts'
import type { DirectoryTables, SchoolCensusTable, SchoolKs4ResultsTable, SchoolKs5ResultsTable } from '../tables.ts'

/** The tables keyed by (urn, academic_year) that the DfE importers fill. */
export type PerformanceTableName =
  'directory.school_ks4_results' | 'directory.school_ks5_results' | 'directory.school_census'

/** Postgres types of the columns, for sending a batch as one typed array per column. */
type PgType = 'int4' | 'int2' | 'float8' | 'text' | 'bool' | 'jsonb' | 'timestamptz' | 'text[]'

const COMMON = {
  urn: 'int4',
  academic_year: 'text',
  la_number: 'text',
  estab_number: 'text',
  markers: 'jsonb',
  source_file: 'text',
  imported_at: 'timestamptz',
} as const

// `satisfies` makes the compiler check that every column of each table has its type here, and no other.
const COLUMN_TYPES = {
  'directory.school_ks4_results': {
    ...COMMON,
    record_type: 'int2',
    school_name: 'text',
    institution_type: 'text',
    closed: 'bool',
    pupils: 'int4',
    attainment8: 'float8',
    progress8_pupils: 'int4',
    progress8: 'float8',
    progress8_lower: 'float8',
    progress8_upper: 'float8',
    progress8_banding: 'int2',
    pct_english_maths_grade4: 'float8',
    pct_english_maths_grade5: 'float8',
    pct_ebacc_entered: 'float8',
    ebacc_aps: 'float8',
    pct_ebacc_grade4: 'float8',
    pct_ebacc_grade5: 'float8',
  } satisfies Record<keyof SchoolKs4ResultsTable, PgType>,
  'directory.school_ks5_results': {
    ...COMMON,
    record_type: 'int2',
    school_name: 'text',
    institution_type: 'text',
    address1: 'text',
    address2: 'text',
    address3: 'text',
    town: 'text',
    postcode: 'text',
    telephone: 'text',
    consortium_members: 'text[]',
    students: 'int4',
    alevel_students: 'int4',
    alevel_aps: 'float8',
    alevel_grade: 'text',
    academic_students: 'int4',
    academic_aps: 'float8',
    academic_grade: 'text',
    applied_general_students: 'int4',
    applied_general_aps: 'float8',
    applied_general_grade: 'text',
    tech_level_students: 'int4',
    tech_level_aps: 'float8',
    tech_level_grade: 'text',
    best3_aps: 'float8',
    best3_grade: 'text',
    pct_aab_facilitating: 'float8',
    alevel_value_added: 'float8',
    alevel_value_added_lower: 'float8',
    alevel_value_added_upper: 'float8',
    english_progress: 'float8',
    maths_progress: 'float8',
    pct_retained_alevel: 'float8',
    pct_retained_academic: 'float8',
    pct_retained_applied_general: 'float8',
    pct_retained_tech_level: 'float8',
  } satisfies Record<keyof SchoolKs5ResultsTable, PgType>,
  'directory.school_census': {
    ...COMMON,
    school_type: 'text',
    pupils: 'int4',
    girls: 'int4',
    boys: 'int4',
    pct_girls: 'float8',
    pct_boys: 'float8',
    ehc_plan: 'int4',
    pct_ehc_plan: 'float8',
    sen_support: 'int4',
    pct_sen_support: 'float8',
    eal: 'int4',
    pct_eal: 'float8',
    english_first_language: 'int4',
    pct_english_first_language: 'float8',
    language_unclassified: 'int4',
    pct_language_unclassified: 'float8',
    fsm: 'int4',
    fsm_ever_6_years: 'int4',
    pct_fsm_ever_6_years: 'float8',
  } satisfies Record<keyof SchoolCensusTable, PgType>,
} as const

const KEY = ['urn', 'academic_year']
// Provenance: written with a change, but never a change by itself (re-importing a renamed copy changes nothing).
const PROVENANCE = ['source_file', 'imported_at']

/** A text[] value as an array literal, so a batch of them can travel as one text array (unnest flattens arrays). */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
}

function cell(value: unknown, type: PgType): unknown {
  if (value === undefined || value === null) return null
  if (type === 'text[]') return arrayLiteral(value as string[])
  if (value instanceof Date) return value.toISOString()
  return value
}

/**
 * Inserts new (urn, year) rows and updates changed ones in one statement, and counts which was which.
 *
 * - A row whose values are all the same is not written at all (`where … is distinct from excluded …`): no new row
 *   version, and its source file and import time stay as they were, so re-importing a file changes nothing.
 * - `xmax = 0` holds only for a row this statement inserted (an updated row carries the updating transaction's id).
 * - The batch travels as one typed array per column through `unnest`, not as a parameter per value: a few parameters
 *   instead of thousands parse and plan much faster, above all on PGlite.
 */
export async function upsertPerformanceRows<T extends PerformanceTableName>(
  db: Kysely<DirectoryTables>,
  table: T,
  rows: readonly Insertable<DirectoryTables[T]>[],
): Promise<ImportCounts> {
  if (!rows.length) return { inserted: 0, updated: 0, unchanged: 0 }
  const types: Record<string, PgType> = COLUMN_TYPES[table]
  const columns = Object.keys(types)
  const updatable = columns.filter((c) => !KEY.includes(c))
  const compared = updatable.filter((c) => !PROVENANCE.includes(c))
  const values = rows as readonly Record<string, unknown>[]
  const arrays = columns.map((c) => {
    const type = types[c]!
    const elementType = type === 'text[]' ? 'text' : type
    return sql`${values.map((r) => cell(r[c], type))}::${sql.raw(elementType)}[]`
  })
  const selected = columns.map((c) => (types[c] === 'text[]' ? sql`${sql.ref(c)}::text[]` : sql.ref(c)))
  const current = sql.join(compared.map((c) => sql.ref(`${table}.${c}`)))
  const incoming = sql.join(compared.map((c) => sql.ref(`excluded.${c}`)))
  const { rows: written } = await sql<{ inserted: boolean }>`
    insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(selected)} from unnest(${sql.join(arrays)}) as batch (${sql.join(columns.map((c) => sql.ref(c)))})
    on conflict (urn, academic_year) do update
       set ${sql.join(updatable.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
     where (${current}) is distinct from (${incoming})
    returning (xmax = 0) as inserted`.execute(db)
  const inserted = written.filter((w) => w.inserted).length
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length }
}

/** One school's newest row of a DfE data set (KS4, 16-18 or census), or undefined. */
export async function findNewestPerformanceRow<T extends PerformanceTableName>(
  db: Kysely<DirectoryTables>,
  table: T,
  urn: number,
): Promise<Selectable<DirectoryTables[T]> | undefined> {
  // The three tables share their key (urn, academic_year); Kysely cannot type a query over "any of them".
  const row = await sql<Selectable<DirectoryTables[T]>>`
    select * from ${sql.table(table)} where urn = ${urn} order by academic_year desc limit 1`.execute(db)
  return row.rows[0]
}

/**
 * How every DfE source keys and stores its rows: one row per URN in a file, stored for the academic year the file's
 * name gives, with its provenance, without rewriting unchanged rows.
 */
export function storePerformanceRowsIn<T extends PerformanceTableName>(source: string, table: T) {
  return {
    key: (row: { urn: number }) => String(row.urn),
    async store(trx: AnyDb, rows: ParsedRow<DirectoryTables[T]>[], run: ImportRun): Promise<ImportCounts> {
      const year = academicYearOfRun(source, run)
      const ready = rows.map((row) => withProvenance(row, year, run)) as unknown as Insertable<DirectoryTables[T]>[]
      return upsertPerformanceRows(moduleDb<DirectoryTables>(trx), table, ready)
    },
  }
}

/** Each of these schools' address as its newest 16-18 (KS5) row with a postcode gives it; a URN without one is absent. */
export async function findNewestKs5Addresses(db: Kysely<DirectoryTables>, urns: readonly number[]) {
  if (!urns.length) return []
  return db
    .selectFrom('directory.school_ks5_results')
    .distinctOn('urn')
    .select(['urn', 'address1', 'address2', 'address3', 'town', 'postcode'])
    .where('urn', 'in', [...new Set(urns)])
    .where('postcode', 'is not', null)
    .orderBy('urn')
    .orderBy('academic_year', 'desc')
    .execute()
}
