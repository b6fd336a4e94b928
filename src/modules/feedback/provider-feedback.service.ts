// What a provider's public feedback page shows: the last 12 months one by one, the rolling year compared with its
// local authority and England, its response times to choice requests, and the published comments with replies.
import { NotFoundError, type AnyDb } from '../../platform/index.ts'
import { findProviderById, type Provider } from '../directory/index.ts'
import { listPublishedComments, type Comment } from './comments.service.ts'
import { latestMonth } from './open-data.outputs.ts'
import { cachedPublication, providerMonths, type ProviderMonth, type PublishedFigures } from './publication.service.ts'
import { providerResponseTimes, type ProviderResponseTimes } from './response-times.service.ts'

export interface ProviderFeedback {
  provider: Provider
  months: ProviderMonth[]
  /** The rolling year's published row, null when it has fewer than 10 responses. */
  year: PublishedFigures | null
  comments: Comment[]
  /** Choice requests answered within the Choice Charter standard: the latest month and the rolling year. */
  responseTimes: ProviderResponseTimes[]
}

/** Everything the page shows; NotFoundError for a provider the directory does not know. */
export async function providerFeedback(db: AnyDb, serviceId: string, now: Date): Promise<ProviderFeedback> {
  const provider = await findProviderById(db, serviceId)
  if (!provider) throw new NotFoundError('provider')
  const month = latestMonth(now)
  const [months, publication, comments, responseTimes] = await Promise.all([
    providerMonths(db, provider.id, month),
    cachedPublication(db, month),
    listPublishedComments(db, provider.id),
    providerResponseTimes(db, provider.id, month),
  ])
  const year = publication.find((r) => r.provider.id === provider.id && r.period.kind === 'rolling-12-months')
  return { provider, months, year: year ?? null, comments, responseTimes }
}
