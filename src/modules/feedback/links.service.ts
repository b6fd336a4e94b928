import { createHash, randomBytes } from 'node:crypto'
import { recordAudit, type AnyDb, type Identity } from '../../platform/index.ts'
import { recordResponse } from './responses.service.ts'
import type { FftAnswer } from './statistics.ts'
import { staffProvider } from './staff.service.ts'
import { claimToken, findToken, insertTokens } from './tokens.queries.ts'

/** How long a printed link stays usable: long enough to hand out over a quarter, short enough that lost cards lapse. */
export const LINK_LIFETIME_DAYS = 90
/** At most this many links in one batch (a sheet or two to print). */
export const MAX_LINKS_PER_BATCH = 50

/** 32 random bytes: 43 base64url characters, too many to guess. */
export const TOKEN_PATTERN = /^[\w-]{43}$/

/** Only this hash is stored: a database reader cannot turn stored rows back into working links. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

export interface IssuedLinks {
  tokens: string[]
  expiresAt: Date
}

/** Makes a batch of single-use feedback links for one service; each token is returned once and stored as a hash. */
export async function issueFeedbackLinks(
  db: AnyDb,
  identity: Identity,
  serviceId: string,
  count: number,
  facts: { requestId: string; ipHash: string | null },
  now = new Date(),
): Promise<IssuedLinks> {
  const provider = await staffProvider(db, identity, serviceId)
  const tokens = Array.from({ length: count }, () => randomBytes(32).toString('base64url'))
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_DAYS * 86_400_000)
  await db.transaction().execute(async (trx) => {
    await insertTokens(trx, serviceId, tokens.map(hashToken), now, expiresAt)
    await recordAudit(trx, {
      action: 'feedback.links.issued',
      outcome: 'success',
      actorId: identity.personId,
      objectType: 'service',
      objectId: serviceId,
      details: { organisationId: provider.organisation.id, count, expiresAt: expiresAt.toISOString() },
      ...facts,
    })
  })
  return { tokens, expiresAt }
}

export type LinkState = { state: 'open'; serviceId: string } | { state: 'used' | 'expired' | 'unknown' }

/** What a feedback link can do now, without using it. */
export async function linkState(db: AnyDb, token: string, now = new Date()): Promise<LinkState> {
  const row = TOKEN_PATTERN.test(token) ? await findToken(db, hashToken(token)) : undefined
  if (!row) return { state: 'unknown' }
  if (row.used_at) return { state: 'used' }
  if (row.expires_at <= now) return { state: 'expired' }
  return { state: 'open', serviceId: row.service_id }
}

/**
 * Records an answer given through a link, collection mode 'online'. The token is claimed in the same transaction as
 * the response is written, so a link gives exactly one response even when submitted twice at once.
 */
export async function giveFeedbackByLink(
  db: AnyDb,
  secret: string,
  token: string,
  answer: { answer: FftAnswer; comment?: string | undefined },
  now = new Date(),
): Promise<{ state: 'given' | 'used' | 'expired' | 'unknown' }> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'unknown' }
  const hash = hashToken(token)
  const claimed = await db.transaction().execute(async (trx) => {
    const serviceId = await claimToken(trx, hash, now)
    if (serviceId)
      await recordResponse(trx, secret, { serviceId, respondent: `token:${hash}`, mode: 'online', at: now, ...answer })
    return serviceId
  })
  if (claimed) return { state: 'given' }
  const after = await linkState(db, token, now)
  return after.state === 'open' ? { state: 'used' } : after
}
