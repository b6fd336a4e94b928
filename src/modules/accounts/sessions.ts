import { createHash, randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Identity, RoleGrant } from '../../platform/index.ts'
import type { AccountsTables } from './tables.ts'

type Db = Kysely<AccountsTables>

/** Sessions end after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const IDLE_TIMEOUT_MS = 30 * 60_000
export const ABSOLUTE_TIMEOUT_MS = 12 * 3600_000
// Writing last_seen_at on every request would make every page a write; once a minute is precise enough.
const TOUCH_AFTER_MS = 60_000

/** `__Host-` binds the cookie to this origin over HTTPS; plain-http development cannot use the prefix. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-openchoice-session' : 'openchoice-session'
}

/** A random token of 256 bits, and the hash that is all the database keeps. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashToken(token) }
}

/** Whether a string could be one of our tokens (43 base64url characters); anything else is not looked up. */
export function isTokenShaped(token: string): boolean {
  return /^[\w-]{43}$/.test(token)
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function startSession(db: Db, personId: string, now: Date): Promise<{ token: string; sessionId: string }> {
  const { token, tokenHash } = newToken()
  const row = await db
    .insertInto('accounts.sessions')
    .values({
      token_hash: tokenHash,
      person_id: personId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { token, sessionId: row.id }
}

export type SessionLookup =
  | { state: 'live'; identity: Identity }
  | { state: 'ended'; personId: string; sessionId: string; reason: 'idle' | 'absolute' }
  | { state: 'none' }

/**
 * Finds the session a cookie names, with the person's roles and, for a champion, whose consent they act under;
 * ends it if it has been idle too long or is past its absolute limit. One query per request.
 */
export async function resolveSession(db: Db, token: string, now: Date): Promise<SessionLookup> {
  if (!isTokenShaped(token)) return { state: 'none' }
  const s = await db
    .selectFrom('accounts.sessions as s')
    // Only a consent that is still live counts: revoked or expired, the champion is back to acting for themselves.
    .leftJoin('accounts.consents as c', (join) =>
      join
        .onRef('c.id', '=', 's.acting_for_consent_id')
        .onRef('c.champion_id', '=', 's.person_id')
        .on('c.status', '=', 'granted')
        .on('c.expires_at', '>', now),
    )
    .leftJoin('accounts.people as p', 'p.id', 'c.person_id')
    .select(['s.id', 's.person_id', 's.last_seen_at', 's.expires_at'])
    .select(['c.id as consent_id', 'c.frameworks', 'c.actions', 'p.id as for_person_id', 'p.email as for_email'])
    .select(
      sql<RoleGrant[]>`coalesce((select json_agg(json_build_object('role', g.role, 'scopeType', g.scope_type,
        'scopeId', g.scope_id)) from accounts.role_grants g where g.person_id = s.person_id and g.revoked_at is null),
        '[]'::json)`.as('roles'),
    )
    .where('s.token_hash', '=', hashToken(token))
    .where('s.ended_at', 'is', null)
    .executeTakeFirst()
  if (!s) return { state: 'none' }
  const reason =
    now >= s.expires_at ? 'absolute' : now.getTime() - s.last_seen_at.getTime() >= IDLE_TIMEOUT_MS ? 'idle' : null
  if (reason) {
    await endSession(db, s.id, `timeout-${reason}`, now)
    return { state: 'ended', personId: s.person_id, sessionId: s.id, reason }
  }
  if (now.getTime() - s.last_seen_at.getTime() >= TOUCH_AFTER_MS) {
    await db.updateTable('accounts.sessions').set({ last_seen_at: now }).where('id', '=', s.id).execute()
  }
  const actingFor =
    s.consent_id && s.for_person_id
      ? {
          personId: s.for_person_id,
          consentId: s.consent_id,
          label: s.for_email ?? '',
          frameworks: s.frameworks ?? [],
          actions: s.actions ?? [],
        }
      : null
  return { state: 'live', identity: { personId: s.person_id, sessionId: s.id, roles: s.roles, actingFor } }
}

/** Starts or stops acting for someone in this session (null stops). */
export async function setActingFor(db: Db, sessionId: string, consentId: string | null): Promise<void> {
  await db
    .updateTable('accounts.sessions')
    .set({ acting_for_consent_id: consentId })
    .where('id', '=', sessionId)
    .execute()
}

export async function endSession(db: Db, sessionId: string, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('accounts.sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every live session of a person except one (password changed or reset). */
export async function endOtherSessions(db: Db, personId: string, keep: string | null, reason: string, now: Date) {
  let q = db
    .updateTable('accounts.sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
  if (keep) q = q.where('id', '!=', keep)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
