import { sql, type Insertable } from 'kysely'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import { firstDayOf, type Month } from './period.ts'
import type { FeedbackTables } from './tables.ts'

type NewOutcomeRow = Insertable<FeedbackTables['feedback.request_outcomes']>

/** Stores a request's outcome once: a second delivery of the same request's event changes nothing. */
export async function insertRequestOutcome(db: AnyDb, row: NewOutcomeRow): Promise<void> {
  await moduleDb<FeedbackTables>(db)
    .insertInto('feedback.request_outcomes')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute()
}

export interface OutcomeCountsRow {
  service_id: string
  month: Month
  decided: number
  on_time: number
}

/** Decided requests and how many were answered on time, per service (or only `serviceId`) and month, `from` to `to`. */
export async function selectOutcomeCounts(
  db: AnyDb,
  from: Month,
  to: Month,
  serviceId?: string,
): Promise<OutcomeCountsRow[]> {
  let q = moduleDb<FeedbackTables>(db)
    .selectFrom('feedback.request_outcomes')
    .select([
      'service_id',
      sql<Month>`to_char(period, 'YYYY-MM')`.as('month'),
      sql<number>`count(*)::int`.as('decided'),
      sql<number>`(count(*) filter (where on_time))::int`.as('on_time'),
    ])
    .where(sql<boolean>`period between ${firstDayOf(from)} and ${firstDayOf(to)}`)
    .groupBy(['service_id', 'period'])
  if (serviceId) q = q.where('service_id', '=', serviceId)
  return q.execute()
}
