// Providers' response times to choice requests, published the way satisfaction is: for each provider, a month and the
// 12 months to it, decided requests and how many were answered within the Choice Charter standard, through disclose().
import type { AnyDb } from '../../platform/index.ts'
import { disclose, type DisclosedResponseTimes, type RequestCounts } from './disclosure.ts'
import { addMonths, type Month } from './period.ts'
import {
  byProviderAndPeriod,
  keptFor,
  periodOf,
  PERIOD_KINDS,
  publishedProviders,
  type PeriodKind,
  type PublishedProvider,
} from './publication.service.ts'
import { selectOutcomeCounts } from './request-outcomes.queries.ts'

/** One published row: a provider and period with at least 10 decided requests. */
export interface PublishedResponseTimes {
  provider: PublishedProvider
  period: ReturnType<typeof periodOf>
  figures: DisclosedResponseTimes
}

/** A provider's figures for one period on its page: null under 10 decided requests (`anyDecided` says if any). */
export interface ProviderResponseTimes {
  period: ReturnType<typeof periodOf>
  figures: DisclosedResponseTimes | null
  anyDecided: boolean
}

type Tally = Record<PeriodKind, RequestCounts>
const noRequests = (): Tally => ({ month: { decided: 0, onTime: 0 }, 'rolling-12-months': { decided: 0, onTime: 0 } })

/** Decided and on-time requests per service, for `month` and the 12 months to it. */
async function tally(db: AnyDb, month: Month, serviceId?: string): Promise<Map<string, Tally>> {
  const rows = await selectOutcomeCounts(db, addMonths(month, -11), month, serviceId)
  const byService = new Map<string, Tally>()
  for (const r of rows) {
    const t = byService.get(r.service_id) ?? noRequests()
    byService.set(r.service_id, t)
    for (const kind of PERIOD_KINDS) {
      if (kind === 'month' && r.month !== month) continue
      t[kind].decided += r.decided
      t[kind].onTime += r.on_time
    }
  }
  return byService
}

/** The response-times publication for `month`; services the directory does not know are left out. */
async function responseTimesPublication(db: AnyDb, month: Month): Promise<PublishedResponseTimes[]> {
  const byService = await tally(db, month)
  const providers = await publishedProviders(db, byService.keys())
  const published: PublishedResponseTimes[] = []
  for (const [id, provider] of providers) {
    for (const kind of PERIOD_KINDS) {
      const figures = disclose(byService.get(id)![kind], 'provider')
      if (figures) published.push({ provider, period: periodOf(kind, month), figures })
    }
  }
  return published.sort(byProviderAndPeriod)
}

/** The publication, kept a few minutes like satisfaction's (the downloads say max-age=300). */
export const cachedResponseTimes = (db: AnyDb, month: Month): Promise<PublishedResponseTimes[]> =>
  keptFor(db, `response-times:${month}`, () => responseTimesPublication(db, month))

/** One provider's month and rolling year, for its page: its own rows only, so no publication scan is needed. */
export async function providerResponseTimes(
  db: AnyDb,
  serviceId: string,
  month: Month,
): Promise<ProviderResponseTimes[]> {
  const t = (await tally(db, month, serviceId)).get(serviceId) ?? noRequests()
  return PERIOD_KINDS.map((kind) => {
    const counts = t[kind]
    return { period: periodOf(kind, month), figures: disclose(counts, 'provider'), anyDecided: counts.decided > 0 }
  })
}
