import { sql } from 'kysely'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { CollectionMode } from './collection.ts'
import { firstDayOf, type Month } from './period.ts'
import { FFT_ANSWERS } from './statistics.ts'
import { ANSWER_COLUMNS, COUNT_COLUMNS, type AnswerColumns, type FeedbackTables } from './tables.ts'

export type MonthCountsRow = { service_id: string; month: Month; mode: CollectionMode } & AnswerColumns

/**
 * Counts per answer for every service (or only `serviceId`), month and collection mode from `from` to `to`
 * (inclusive): individual responses and uploaded monthly counts added together. The monthly publication's one scan.
 */
export async function selectCountsByServiceMonthAndMode(
  db: AnyDb,
  from: Month,
  to: Month,
  serviceId?: string,
): Promise<MonthCountsRow[]> {
  const d = moduleDb<FeedbackTables>(db)
  const inRange = sql<boolean>`period between ${firstDayOf(from)} and ${firstDayOf(to)}`
  // One count per answer in a single pass (filter), rather than a group per answer to pivot afterwards.
  let responses = d
    .selectFrom('feedback.responses')
    .select(['service_id', 'period', 'mode'])
    .select(FFT_ANSWERS.map((a) => sql<number>`count(*) filter (where answer = ${a})::int`.as(ANSWER_COLUMNS[a])))
    .where(inRange)
    .groupBy(['service_id', 'period', 'mode'])
  let uploaded = d
    .selectFrom('feedback.monthly_counts')
    .select(['service_id', 'period', 'mode'])
    .select(COUNT_COLUMNS)
    .where(inRange)
  if (serviceId) {
    responses = responses.where('service_id', '=', serviceId)
    uploaded = uploaded.where('service_id', '=', serviceId)
  }
  return d
    .selectFrom(responses.unionAll(uploaded).as('c'))
    .select(['c.service_id', 'c.mode', sql<Month>`to_char(c.period, 'YYYY-MM')`.as('month')])
    .select(COUNT_COLUMNS.map((c) => sql<number>`sum(${sql.ref(`c.${c}`)})::int`.as(c)))
    .groupBy(['c.service_id', 'c.period', 'c.mode'])
    .execute()
}
