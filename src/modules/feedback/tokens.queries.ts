import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { FeedbackTables } from './tables.ts'

export interface TokenRow {
  service_id: string
  expires_at: Date
  used_at: Date | null
}

export async function insertTokens(
  db: AnyDb,
  serviceId: string,
  hashes: string[],
  issuedAt: Date,
  expiresAt: Date,
): Promise<void> {
  await moduleDb<FeedbackTables>(db)
    .insertInto('feedback.tokens')
    .values(hashes.map((h) => ({ token_hash: h, service_id: serviceId, issued_at: issuedAt, expires_at: expiresAt })))
    .execute()
}

export async function findToken(db: AnyDb, hash: string): Promise<TokenRow | undefined> {
  return moduleDb<FeedbackTables>(db)
    .selectFrom('feedback.tokens')
    .select(['service_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst()
}

/**
 * Marks a live token used and returns its service; undefined when it is used, expired or unknown. One statement, so
 * two submissions racing for the same token cannot both win: the second waits for the first's row lock, then sees
 * `used_at` set.
 */
export async function claimToken(db: AnyDb, hash: string, at: Date): Promise<string | undefined> {
  const row = await moduleDb<FeedbackTables>(db)
    .updateTable('feedback.tokens')
    .set({ used_at: at })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('service_id')
    .executeTakeFirst()
  return row?.service_id
}
