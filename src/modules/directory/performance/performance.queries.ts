import { sql, type Insertable, type Kysely } from 'kysely'
import type { ImportCounts } from '../../../platform/index.ts'
import type { DirectoryTables } from '../tables.ts'

/** The tables keyed by (urn, academic_year) that the DfE importers fill. */
export type PerformanceTableName = 'directory.school_ks4_results' | 'directory.school_ks5_results' | 'directory.school_census'

const KEY = ['urn', 'academic_year']
// Provenance: written with a change, but never a change by itself (re-importing a renamed copy changes nothing).
const PROVENANCE = ['source_file', 'imported_at']

/**
 * Inserts new (urn, year) rows and updates changed ones; a row whose values are all the same is not written at all
 * (`where … is distinct from excluded …`), so its row version, source file and import time stay as they were.
 * `xmax = 0` holds only for a row this statement inserted, which tells inserted from updated.
 */
export async function upsertPerformanceRows<T extends PerformanceTableName>(
  db: Kysely<DirectoryTables>,
  table: T,
  rows: Insertable<DirectoryTables[T]>[],
): Promise<ImportCounts> {
  if (!rows.length) return { inserted: 0, updated: 0, unchanged: 0 }
  const columns = Object.keys(rows[0]!).filter((c) => !KEY.includes(c))
  const compared = columns.filter((c) => !PROVENANCE.includes(c))
  const target = (c: string) => sql.ref(`${table}.${c}`)
  const excluded = (c: string) => sql.ref(`excluded.${c}`)
  // The column lists are the rows' own keys, which Kysely cannot type for a table chosen at run time.
  const untyped = db as unknown as Kysely<Record<string, Record<string, unknown>>>
  const result = await untyped
    .insertInto(table)
    .values(rows as Record<string, unknown>[])
    .onConflict((oc) =>
      oc
        .columns(KEY)
        .doUpdateSet(Object.fromEntries(columns.map((c) => [c, excluded(c)])))
        .where(
          sql<boolean>`(${sql.join(compared.map(target))}) is distinct from (${sql.join(compared.map(excluded))})`,
        ),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute()
  const inserted = result.filter((r) => r.inserted).length
  return { inserted, updated: result.length - inserted, unchanged: rows.length - result.length }
}

/** One school's newest KS4 results, or undefined. */
export async function findNewestKs4Results(db: Kysely<DirectoryTables>, urn: number) {
  return db
    .selectFrom('directory.school_ks4_results')
    .selectAll()
    .where('urn', '=', urn)
    .orderBy('academic_year', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One school's or college's newest 16-18 (KS5) results, or undefined. */
export async function findNewestKs5Results(db: Kysely<DirectoryTables>, urn: number) {
  return db
    .selectFrom('directory.school_ks5_results')
    .selectAll()
    .where('urn', '=', urn)
    .orderBy('academic_year', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One school's newest census figures, or undefined. */
export async function findNewestSchoolCensus(db: Kysely<DirectoryTables>, urn: number) {
  return db
    .selectFrom('directory.school_census')
    .selectAll()
    .where('urn', '=', urn)
    .orderBy('academic_year', 'desc')
    .limit(1)
    .executeTakeFirst()
}
