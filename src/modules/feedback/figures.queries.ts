import { sql } from 'kysely'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { CollectionMode } from './collection.ts'
import { firstDayOf, type Month } from './period.ts'
import { FFT_ANSWERS } from './statistics.ts'
import { ANSWER_COLUMNS, COUNT_COLUMNS, type AnswerColumns, type FeedbackTables } from './tables.ts'

export type CountsRow = { service_id: string; mode: CollectionMode } & AnswerColumns

/**
 * Counts per answer for each service and collection mode over the months `from` to `to` (inclusive): individual
 * responses and uploaded monthly counts added together. Services with nothing in those months have no row.
 */
export async function selectCountsByServiceAndMode(
  db: AnyDb,
  serviceIds: readonly string[],
  from: Month,
  to: Month,
): Promise<CountsRow[]> {
  const d = moduleDb<FeedbackTables>(db)
  const [first, last] = [firstDayOf(from), firstDayOf(to)]
  const responses = d
    .selectFrom('feedback.responses')
    .select(['service_id', 'mode'])
    .select(FFT_ANSWERS.map((a) => sql<number>`count(*) filter (where answer = ${a})::int`.as(ANSWER_COLUMNS[a])))
    .where('service_id', 'in', serviceIds)
    .where(sql<boolean>`period between ${first} and ${last}`)
    .groupBy(['service_id', 'mode'])
  const uploaded = d
    .selectFrom('feedback.monthly_counts')
    .select(['service_id', 'mode'])
    .select(COUNT_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})::int`.as(c)))
    .where('service_id', 'in', serviceIds)
    .where(sql<boolean>`period between ${first} and ${last}`)
    .groupBy(['service_id', 'mode'])
  return d
    .selectFrom(responses.unionAll(uploaded).as('c'))
    .select(['c.service_id', 'c.mode'])
    .select(COUNT_COLUMNS.map((c) => sql<number>`sum(${sql.ref(`c.${c}`)})::int`.as(c)))
    .groupBy(['c.service_id', 'c.mode'])
    .execute()
}
