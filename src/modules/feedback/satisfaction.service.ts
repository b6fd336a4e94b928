import type { AnyDb } from '../../platform/index.ts'
import { COLLECTION_MODES, type CollectionMode } from './collection.ts'
import { disclose, type Percentage } from './disclosure.ts'
import { selectCountsByServiceAndMode } from './figures.queries.ts'
import { rollingYear, type Month } from './period.ts'
import { sumCounts, totalResponses, zeroCounts, type AnswerCounts } from './statistics.ts'
import { fromAnswerColumns } from './tables.ts'

/** A provider's satisfaction over a rolling year, as it may be published (find and compare pages, provider pages). */
export interface Satisfaction {
  /** Total responses, as disclosed: rounded to the nearest 5. */
  responses: number
  /** Very good + Good as a percentage of all responses, with its 95% interval; null where the count is suppressed (1 to 7). */
  positive: Percentage | null
  /** Poor + Very poor, likewise. */
  negative: Percentage | null
  /** The ways the responses were collected; figures from different modes are not comparable. */
  modes: CollectionMode[]
  /** The months covered, 'YYYY-MM', both included. */
  period: { from: Month; to: Month }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Each service's disclosed figures for the 12 complete months before `now`'s month, from individual responses and
 * uploaded counts in every mode; null where nothing may be published (fewer than 10 responses, or an unknown id).
 */
export async function satisfactionFor(
  db: AnyDb,
  serviceIds: string[],
  now: Date,
): Promise<Map<string, Satisfaction | null>> {
  const period = rollingYear(now)
  const ids = [...new Set(serviceIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))]
  const rows = ids.length ? await selectCountsByServiceAndMode(db, ids, period.from, period.to) : []
  const byService = new Map<string, Map<CollectionMode, AnswerCounts>>()
  for (const row of rows) {
    if (!byService.has(row.service_id)) byService.set(row.service_id, new Map())
    byService.get(row.service_id)!.set(row.mode, fromAnswerColumns(row))
  }
  return new Map(
    serviceIds.map((id) => {
      const modes = byService.get(id.toLowerCase()) // the database writes uuids in lower case
      const figures = modes && disclose(sumCounts(modes.values()), 'provider')
      if (!figures) return [id, null]
      return [
        id,
        {
          responses: figures.responses,
          positive: figures.positive.percentage,
          negative: figures.negative.percentage,
          modes: COLLECTION_MODES.filter((m) => totalResponses(modes.get(m) ?? zeroCounts()) > 0),
          period,
        },
      ]
    }),
  )
}
