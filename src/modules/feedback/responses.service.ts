import { createHmac } from 'node:crypto'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { CollectionMode } from './collection.ts'
import { firstDayOf, monthOf, type Month } from './period.ts'
import { insertResponseOnce } from './responses.queries.ts'
import type { FftAnswer } from './statistics.ts'
import type { FeedbackTables } from './tables.ts'

/** One answer to the FFT question, as a collection page or a choice prompt hands it over. */
export interface NewResponse {
  serviceId: string
  /** Who answers, such as `person:<id>` or `token:<hash>`; only the once-key derived from it is stored. */
  respondent: string
  answer: FftAnswer
  mode: CollectionMode
  comment?: string | undefined
  at: Date
}

/**
 * The key that allows one response per respondent per service per month. An HMAC under the app's secret: the table
 * holds no personal data, and without the secret no one can test whether a given person answered. Changing the
 * secret (SESSION_SECRET) lets people answer again in the month it changes.
 */
export function onceKey(secret: string, respondent: string, serviceId: string, month: Month): string {
  return createHmac('sha256', secret)
    .update(['openchoice.feedback.once', respondent, serviceId, month].join('\u0000'))
    .digest('base64url')
}

/** Records a response; a second one from the same respondent for the same service and month is refused. */
export async function recordResponse(
  db: AnyDb,
  secret: string,
  r: NewResponse,
): Promise<{ ok: true } | { ok: false; reason: 'already-answered' }> {
  const month = monthOf(r.at)
  const comment = r.comment?.trim() || null
  const inserted = await insertResponseOnce(moduleDb<FeedbackTables>(db), {
    service_id: r.serviceId,
    period: firstDayOf(month),
    answer: r.answer,
    mode: r.mode,
    once_key: onceKey(secret, r.respondent, r.serviceId, month),
    comment,
    comment_state: comment ? 'pending' : null,
    submitted_at: r.at,
  })
  return inserted ? { ok: true } : { ok: false, reason: 'already-answered' }
}
