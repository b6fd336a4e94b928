import type { AnyDb } from '../../platform/index.ts'
import { selectResponseCounts } from './requests.queries.ts'

/** Fewer decided requests than this say nothing reliable about a provider (the same floor as satisfaction's). */
export const MIN_DECIDED_REQUESTS = 10
/** The share of decided requests a provider must answer within the standard to meet it. */
export const ON_TIME_SHARE_TO_MEET = 0.95
const YEAR_MS = 365 * 24 * 3600_000

/**
 * Whether each provider met the Choice Charter's response standard over the last 12 months: at least 95% of its
 * decided choice requests (answered, or not answered by the deadline) were answered in time. A provider with fewer
 * than 10 decided requests is left out, so pages show "No data yet" rather than a figure from too few cases.
 */
export async function responseStandardMetFor(
  db: AnyDb,
  providerIds: string[],
  now: Date = new Date(),
): Promise<Map<string, boolean>> {
  const rows = await selectResponseCounts(db, providerIds, new Date(now.getTime() - YEAR_MS))
  return new Map(
    rows
      .filter((r) => Number(r.decided) >= MIN_DECIDED_REQUESTS)
      .map((r) => [r.service_id, Number(r.on_time) / Number(r.decided) >= ON_TIME_SHARE_TO_MEET]),
  )
}
