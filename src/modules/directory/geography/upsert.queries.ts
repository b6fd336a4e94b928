import { sql } from 'kysely'
import type { AnyDb, ImportCounts } from '../../../platform/index.ts'

/**
 * Inserts new rows and updates changed ones in one statement, and counts which was which. An unchanged row is not
 * rewritten at all (no new row version, no WAL, no trigger), so re-importing the same file costs little and changes
 * nothing: `on conflict … do update … where (columns) is distinct from (excluded columns)` skips it, and it is not
 * returned. Of the rows returned, `xmax = 0` marks a fresh insert (an updated row version carries the updating
 * transaction's id in xmax); this holds on PostgreSQL and PGlite alike. `columns` are the ones a newer file may
 * change; only they are written, so a source that fills some columns of a table leaves the others as they are.
 */
export async function upsertCountingChanges<Row extends object>(
  trx: AnyDb,
  table: string,
  key: keyof Row & string,
  columns: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<ImportCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 }
  const current = sql.join(columns.map((c) => sql.ref(`${table}.${c}`)))
  const incoming = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)))
  const written = await trx
    .insertInto(table)
    .values(rows.map((r) => Object.fromEntries([key, ...columns].map((c) => [c, r[c]]))))
    .onConflict((oc) =>
      oc
        .column(key)
        .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])))
        .where(sql<boolean>`(${current}) is distinct from (${incoming})`),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute()
  const inserted = written.filter((w) => w.inserted).length
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length }
}
