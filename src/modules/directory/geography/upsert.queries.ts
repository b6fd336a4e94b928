import { sql } from 'kysely'
import type { AnyDb, ImportCounts } from '../../../platform/index.ts'

/** The Postgres types of the columns an importer writes (each batch is sent as one typed array per column). */
export type ColumnType = 'text' | 'float8' | 'int4' | 'int2' | 'date'

/**
 * Inserts new rows and updates changed ones in one statement, and counts which was which.
 *
 * - An unchanged row is not rewritten at all (no new row version, no WAL, no trigger): `on conflict … do update …
 *   where (columns) is distinct from (excluded columns)` skips it, and it is not returned, so re-importing the same
 *   file changes nothing.
 * - Of the rows returned, `xmax = 0` marks a fresh insert (an updated row version carries the updating transaction's
 *   id in xmax); this holds on PostgreSQL and PGlite alike.
 * - Only `columns` are written (the key and the columns this file carries), so a source that fills some columns of a
 *   table leaves the others as they are.
 * - The batch goes as one array per column through `unnest`, not as a parameter per value: a statement with a few
 *   parameters instead of thousands parses and plans much faster, above all on PGlite.
 */
export async function upsertCountingChanges<Row extends object>(
  trx: AnyDb,
  table: string,
  key: keyof Row & string,
  columns: Readonly<Partial<Record<keyof Row & string, ColumnType>>>,
  rows: readonly Row[],
): Promise<ImportCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 }
  const names = Object.keys(columns) as (keyof Row & string)[]
  const updatable = names.filter((c) => c !== key)
  const arrays = names.map((c) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(columns[c]!)}[]`)
  const current = sql.join(updatable.map((c) => sql.ref(`${table}.${c}`)))
  const incoming = sql.join(updatable.map((c) => sql.ref(`excluded.${c}`)))
  const { rows: written } = await sql<{ inserted: boolean }>`
    insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(arrays)})
    on conflict (${sql.ref(key)}) do update
       set ${sql.join(updatable.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
     where (${current}) is distinct from (${incoming})
    returning (xmax = 0) as inserted`.execute(trx)
  const inserted = written.filter((w) => w.inserted).length
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length }
}
