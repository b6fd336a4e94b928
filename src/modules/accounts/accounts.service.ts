import { moduleDb, queueEmail, recordAudit, type AnyDb } from '../../platform/index.ts'
import type { AccountsTables, EmailTokenPurpose } from './tables.ts'
import {
  clearSignInFailures,
  consumeEmailToken,
  countEmailTokensSince,
  insertEmailToken,
  insertPerson,
  insertSignInFailure,
  markEmailVerified,
  selectLiveEmailToken,
  selectPersonByEmail,
  selectPersonById,
  selectRecentFailures,
  updatePassword,
} from './accounts.queries.ts'
import { hashPassword, verifyAgainstNobody, verifyPassword } from './passwords.ts'
import { endOtherSessions, endSession, hashToken, isTokenShaped, newToken, startSession } from './sessions.ts'

/** Request facts every audited action carries (from auditContextFromRequest). */
export interface RequestContext {
  requestId: string
  ipHash: string | null
  now: Date
}

/** How emails are written: the reader's strings and the service's public address for links. */
export interface Mailer {
  t: (key: string, params?: Record<string, string | number>) => string
  publicUrl: string
}

const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  'verify-email': 24 * 3600_000,
  'reset-password': 3600_000,
}
// No more than this many emails of one kind to one account an hour, whoever asks.
const EMAILS_PER_HOUR = 5
// Growing delays: after this many failures in an hour, each further attempt waits twice as long.
const FREE_FAILURES = 5
const MAX_DELAY_S = 15 * 60
export const MAX_FAILURES_PER_HOUR = 100

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

function accounts(db: AnyDb) {
  return moduleDb<AccountsTables>(db)
}

async function sendTokenEmail(
  db: AnyDb,
  person: { id: string; email: string },
  purpose: EmailTokenPurpose,
  mailer: Mailer,
  ctx: RequestContext,
): Promise<boolean> {
  const hourAgo = new Date(ctx.now.getTime() - 3600_000)
  if ((await countEmailTokensSince(accounts(db), person.id, purpose, hourAgo)) >= EMAILS_PER_HOUR) return false
  const { token, tokenHash } = newToken()
  const expiresAt = new Date(ctx.now.getTime() + TOKEN_LIFETIME_MS[purpose])
  await insertEmailToken(accounts(db), { tokenHash, personId: person.id, purpose, now: ctx.now, expiresAt })
  const path = purpose === 'verify-email' ? '/verify-email' : '/reset-password/new'
  const link = `${mailer.publicUrl}${path}?token=${token}`
  const key = purpose === 'verify-email' ? 'accounts.emails.verify' : 'accounts.emails.reset'
  await queueEmail(db, {
    to: person.email,
    template: `accounts.${purpose}`,
    subject: mailer.t(`${key}.subject`),
    body: mailer.t(`${key}.body`, { link }),
    reference: `${purpose}-${person.id}`,
  })
  return true
}

/**
 * Creates an account and emails a link to confirm the address. If the address already has an account, the
 * owner is told by email instead; the person at the screen sees the same page either way (no enumeration).
 */
export async function signUp(
  db: AnyDb,
  input: { email: string; password: string },
  mailer: Mailer,
  ctx: RequestContext,
) {
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const emailNormalised = normaliseEmail(input.email)
    const created = await insertPerson(accounts(trx), { email: input.email.trim(), emailNormalised, passwordHash })
    if (created) {
      await sendTokenEmail(trx, { id: created.id, email: input.email.trim() }, 'verify-email', mailer, ctx)
      await recordAudit(trx, {
        action: 'auth.account.created',
        outcome: 'success',
        actorId: created.id,
        objectType: 'person',
        objectId: created.id,
        ...ctx,
      })
      return { created: true as const }
    }
    const existing = await selectPersonByEmail(accounts(trx), emailNormalised)
    if (existing) {
      await queueEmail(trx, {
        to: existing.email,
        template: 'accounts.already-registered',
        subject: mailer.t('accounts.emails.alreadyRegistered.subject'),
        body: mailer.t('accounts.emails.alreadyRegistered.body', { link: `${mailer.publicUrl}/sign-in` }),
        reference: `already-registered-${existing.id}`,
      })
      await recordAudit(trx, {
        action: 'auth.account.duplicate-sign-up',
        outcome: 'failure',
        objectType: 'person',
        objectId: existing.id,
        ...ctx,
      })
    }
    return { created: false as const }
  })
}

/** Whether a verify or reset link is still usable, without using it (the page that shows its form). */
export async function isEmailTokenLive(
  db: AnyDb,
  token: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<boolean> {
  if (!isTokenShaped(token)) return false
  return Boolean(await selectLiveEmailToken(accounts(db), hashToken(token), purpose, now))
}

export async function verifyEmail(db: AnyDb, token: string, ctx: RequestContext): Promise<boolean> {
  if (!isTokenShaped(token)) return false
  return db.transaction().execute(async (trx) => {
    const used = await consumeEmailToken(accounts(trx), hashToken(token), 'verify-email', ctx.now)
    if (!used) return false
    await markEmailVerified(accounts(trx), used.person_id, ctx.now)
    await recordAudit(trx, {
      action: 'auth.email.verified',
      outcome: 'success',
      actorId: used.person_id,
      objectType: 'person',
      objectId: used.person_id,
      ...ctx,
    })
    return true
  })
}

export type SignInResult =
  | { ok: true; personId: string; token: string; sessionId: string }
  | { ok: false; reason: 'wrong-details' | 'not-verified' }
  | { ok: false; reason: 'wait'; retryAfterSeconds: number }

/** How long this account must wait before its next attempt, given its failures in the last hour. */
export function signInDelaySeconds(failures: number, latest: Date | null, now: Date): number {
  if (failures >= MAX_FAILURES_PER_HOUR && latest)
    return Math.max(1, Math.ceil((latest.getTime() + 3600_000 - now.getTime()) / 1000))
  if (failures < FREE_FAILURES || !latest) return 0
  const delay = Math.min(2 ** (failures - FREE_FAILURES + 1), MAX_DELAY_S)
  return Math.max(0, Math.ceil((latest.getTime() + delay * 1000 - now.getTime()) / 1000))
}

/** Checks email and password, with growing delays per account; on success starts a brand-new session. */
export async function signIn(
  db: AnyDb,
  input: { email: string; password: string },
  ctx: RequestContext,
): Promise<SignInResult> {
  const person = await selectPersonByEmail(accounts(db), normaliseEmail(input.email))
  if (!person) {
    await verifyAgainstNobody(input.password)
    await recordAudit(db, {
      action: 'auth.sign-in.failed',
      outcome: 'failure',
      details: { reason: 'unknown-email' },
      ...ctx,
    })
    return { ok: false, reason: 'wrong-details' }
  }
  const hourAgo = new Date(ctx.now.getTime() - 3600_000)
  const recent = await selectRecentFailures(accounts(db), person.id, hourAgo)
  const wait = signInDelaySeconds(recent.n, recent.latest ? new Date(recent.latest) : null, ctx.now)
  if (wait > 0) {
    await recordAudit(db, {
      action: 'auth.sign-in.throttled',
      outcome: 'denied',
      objectType: 'person',
      objectId: person.id,
      details: { waitSeconds: wait },
      ...ctx,
    })
    return { ok: false, reason: 'wait', retryAfterSeconds: wait }
  }
  // An account without a password (One Login only) fails like a wrong password, taking as long.
  const passwordOk = person.password_hash
    ? await verifyPassword(person.password_hash, input.password)
    : await verifyAgainstNobody(input.password)
  if (!passwordOk) {
    await db.transaction().execute(async (trx) => {
      await insertSignInFailure(accounts(trx), person.id, ctx.now)
      await recordAudit(trx, {
        action: 'auth.sign-in.failed',
        outcome: 'failure',
        objectType: 'person',
        objectId: person.id,
        details: { reason: person.password_hash ? 'wrong-password' : 'no-password' },
        ...ctx,
      })
    })
    return { ok: false, reason: 'wrong-details' }
  }
  if (!person.email_verified_at) {
    await recordAudit(db, {
      action: 'auth.sign-in.failed',
      outcome: 'failure',
      actorId: person.id,
      details: { reason: 'not-verified' },
      ...ctx,
    })
    return { ok: false, reason: 'not-verified' }
  }
  return db.transaction().execute(async (trx) => {
    await clearSignInFailures(accounts(trx), person.id)
    const session = await startSession(accounts(trx), person.id, ctx.now)
    await recordAudit(trx, {
      action: 'auth.sign-in.succeeded',
      outcome: 'success',
      actorId: person.id,
      objectType: 'session',
      objectId: session.sessionId,
      ...ctx,
    })
    return { ok: true, personId: person.id, ...session }
  })
}

/** Ends a session: signed out, or replaced by a new sign-in in the same browser. */
export async function signOut(
  db: AnyDb,
  sessionId: string,
  reason: 'signed-out' | 'replaced',
  now: Date,
): Promise<void> {
  await endSession(accounts(db), sessionId, reason, now)
}

/** Sends a reset link if the address has an account; says nothing either way (no enumeration). */
export async function requestPasswordReset(
  db: AnyDb,
  email: string,
  mailer: Mailer,
  ctx: RequestContext,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const person = await selectPersonByEmail(accounts(trx), normaliseEmail(email))
    if (!person) return
    const sent = await sendTokenEmail(trx, person, 'reset-password', mailer, ctx)
    await recordAudit(trx, {
      action: 'auth.password-reset.requested',
      outcome: sent ? 'success' : 'denied',
      objectType: 'person',
      objectId: person.id,
      ...ctx,
    })
  })
}

/** Sets a new password from a reset link (single use, one hour) and ends every session of the account. */
export async function resetPassword(db: AnyDb, token: string, password: string, ctx: RequestContext): Promise<boolean> {
  if (!isTokenShaped(token)) return false
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    const used = await consumeEmailToken(accounts(trx), hashToken(token), 'reset-password', ctx.now)
    if (!used) return false
    await updatePassword(accounts(trx), used.person_id, passwordHash, ctx.now)
    // Following the link proves the person reads this inbox, so the address counts as confirmed.
    await markEmailVerified(accounts(trx), used.person_id, ctx.now)
    await clearSignInFailures(accounts(trx), used.person_id)
    const ended = await endOtherSessions(accounts(trx), used.person_id, null, 'password-reset', ctx.now)
    await recordAudit(trx, {
      action: 'auth.password.reset',
      outcome: 'success',
      actorId: used.person_id,
      objectType: 'person',
      objectId: used.person_id,
      details: { sessionsEnded: ended },
      ...ctx,
    })
    return true
  })
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong-current' }

/** Changes the password of a signed-in person and ends their other sessions. */
export async function changePassword(
  db: AnyDb,
  who: { personId: string; sessionId: string },
  input: { current: string; password: string },
  ctx: RequestContext,
): Promise<ChangePasswordResult> {
  const person = await selectPersonById(accounts(db), who.personId)
  if (!person?.password_hash || !(await verifyPassword(person.password_hash, input.current))) {
    await recordAudit(db, { action: 'auth.password.change-failed', outcome: 'failure', actorId: who.personId, ...ctx })
    return { ok: false, reason: 'wrong-current' }
  }
  const passwordHash = await hashPassword(input.password)
  await db.transaction().execute(async (trx) => {
    await updatePassword(accounts(trx), who.personId, passwordHash, ctx.now)
    const ended = await endOtherSessions(accounts(trx), who.personId, who.sessionId, 'password-changed', ctx.now)
    await recordAudit(trx, {
      action: 'auth.password.changed',
      outcome: 'success',
      actorId: who.personId,
      objectType: 'person',
      objectId: who.personId,
      details: { sessionsEnded: ended },
      ...ctx,
    })
  })
  return { ok: true }
}

export async function findAccount(db: AnyDb, personId: string) {
  const p = await selectPersonById(accounts(db), personId)
  return p && { id: p.id, email: p.email, verified: Boolean(p.email_verified_at), createdAt: p.created_at }
}
