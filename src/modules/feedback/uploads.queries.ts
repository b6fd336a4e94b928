import { sql, type Insertable } from 'kysely'
import { moduleDb, type AnyDb, type ImportCounts } from '../../platform/index.ts'
import type { CollectionMode } from './collection.ts'
import { firstDayOf, type Month } from './period.ts'
import type { AnswerCounts } from './statistics.ts'
import { COUNT_COLUMNS, toAnswerColumns, type FeedbackTables } from './tables.ts'

export async function insertUpload(db: AnyDb, row: Insertable<FeedbackTables['feedback.uploads']>): Promise<string> {
  const { id } = await moduleDb<FeedbackTables>(db)
    .insertInto('feedback.uploads')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Writes each month's counts; a month whose counts are the same as before is left alone (and keeps its upload). */
export async function upsertMonthlyCounts(
  db: AnyDb,
  serviceId: string,
  mode: CollectionMode,
  uploadId: string,
  months: { month: Month; counts: AnswerCounts }[],
): Promise<ImportCounts> {
  const values = months.map(({ month, counts }) => ({
    service_id: serviceId,
    period: firstDayOf(month),
    mode,
    upload_id: uploadId,
    ...toAnswerColumns(counts),
  }))
  const existing = sql.join(COUNT_COLUMNS.map((c) => sql.ref(`feedback.monthly_counts.${c}`)))
  const incoming = sql.join(COUNT_COLUMNS.map((c) => sql.ref(`excluded.${c}`)))
  const written = await moduleDb<FeedbackTables>(db)
    .insertInto('feedback.monthly_counts')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['service_id', 'period', 'mode'])
        .doUpdateSet((eb) => ({
          ...Object.fromEntries(COUNT_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])),
          upload_id: eb.ref('excluded.upload_id'),
        }))
        .where(sql<boolean>`(${existing}) is distinct from (${incoming})`),
    )
    // xmax is 0 on a row this statement inserted, and set on one it updated.
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute()
  const inserted = written.filter((r) => r.inserted).length
  return { inserted, updated: written.length - inserted, unchanged: values.length - written.length }
}
