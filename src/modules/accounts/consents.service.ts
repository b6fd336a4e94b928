import { moduleDb, queueEmail, recordAudit, type AnyDb, type Identity } from '../../platform/index.ts'
import type { Mailer, RequestContext } from './accounts.service.ts'
import { normaliseEmail } from './accounts.service.ts'
import { setActingFor } from './sessions.ts'
import type { AccountsTables, ConsentRow } from './tables.ts'

/** What a champion may do for a person, each granted separately. */
export const CONSENT_ACTIONS = ['choose', 'feedback', 'complain'] as const
export type ConsentAction = (typeof CONSENT_ACTIONS)[number]
/** How long consent lasts, in months: the person sees the end date before they agree. */
export const CONSENT_DURATIONS = [1, 3, 6, 12] as const
// A champion cannot flood people's inboxes with requests.
const REQUESTS_PER_HOUR = 20

function accounts(db: AnyDb) {
  return moduleDb<AccountsTables>(db)
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d
}

export type ConsentState = 'requested' | 'live' | 'expired' | 'refused' | 'revoked'

/** A consent as pages show it, from the point of view of the champion or the person. */
export interface Consent {
  id: string
  state: ConsentState
  championId: string
  championEmail: string
  personId: string | null
  /** The person's account email, or the address a request was sent to before they were matched. */
  personEmail: string
  frameworks: string[]
  actions: string[]
  method: 'online' | 'offline'
  offlineNote: string | null
  needsReview: boolean
  requestedAt: Date
  expiresAt: Date
}

function stateOf(row: ConsentRow, now: Date): ConsentState {
  if (row.status === 'granted') return row.expires_at > now ? 'live' : 'expired'
  if (row.status === 'requested' && row.expires_at <= now) return 'expired'
  return row.status
}

function consents(db: AnyDb) {
  return accounts(db)
    .selectFrom('accounts.consents as c')
    .innerJoin('accounts.people as champion', 'champion.id', 'c.champion_id')
    .leftJoin('accounts.people as person', 'person.id', 'c.person_id')
    .selectAll('c')
    .select(['champion.email as champion_email', 'person.email as person_email'])
}

type JoinedRow = ConsentRow & { champion_email: string; person_email: string | null }

function toConsent(row: JoinedRow, now: Date): Consent {
  return {
    id: row.id,
    state: stateOf(row, now),
    championId: row.champion_id,
    championEmail: row.champion_email,
    personId: row.person_id,
    personEmail: row.person_email ?? row.person_email_normalised ?? '',
    frameworks: row.frameworks,
    actions: row.actions,
    method: row.method,
    offlineNote: row.offline_note,
    needsReview: row.needs_review,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
  }
}

export interface ConsentScope {
  email: string
  frameworks: string[]
  actions: ConsentAction[]
  months: number
}

async function findLivePersonByEmail(db: AnyDb, email: string) {
  return accounts(db)
    .selectFrom('accounts.people')
    .select(['id', 'email', 'email_verified_at'])
    .where('email_normalised', '=', normaliseEmail(email))
    .where('erased_at', 'is', null)
    .executeTakeFirst()
}

export type RequestConsentResult = { ok: true } | { ok: false; reason: 'self' | 'too-many' }

/**
 * A champion asks a person for consent. The request is addressed to an email address and the person answers in
 * their own account (creating one if they have none); the champion is never told whether an account exists.
 */
export async function requestConsent(
  db: AnyDb,
  championId: string,
  scope: ConsentScope,
  mailer: Mailer,
  ctx: RequestContext,
): Promise<RequestConsentResult> {
  return db.transaction().execute(async (trx): Promise<RequestConsentResult> => {
    const champion = await accounts(trx)
      .selectFrom('accounts.people')
      .select(['email', 'email_normalised'])
      .where('id', '=', championId)
      .executeTakeFirstOrThrow()
    if (champion.email_normalised === normaliseEmail(scope.email)) return { ok: false, reason: 'self' }
    const hourAgo = new Date(ctx.now.getTime() - 3600_000)
    const recent = await accounts(trx)
      .selectFrom('accounts.consents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('champion_id', '=', championId)
      .where('requested_at', '>', hourAgo)
      .executeTakeFirstOrThrow()
    if (Number(recent.n) >= REQUESTS_PER_HOUR) return { ok: false, reason: 'too-many' }
    const person = await findLivePersonByEmail(trx, scope.email)
    const row = await accounts(trx)
      .insertInto('accounts.consents')
      .values({
        champion_id: championId,
        person_id: person?.id ?? null,
        person_email_normalised: normaliseEmail(scope.email),
        frameworks: scope.frameworks,
        actions: scope.actions,
        method: 'online',
        status: 'requested',
        requested_at: ctx.now,
        expires_at: addMonths(ctx.now, scope.months),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await queueEmail(trx, {
      to: scope.email.trim(),
      template: 'accounts.consent-requested',
      subject: mailer.t('accounts.emails.consentRequested.subject'),
      body: mailer.t('accounts.emails.consentRequested.body', {
        champion: champion.email,
        link: `${mailer.publicUrl}/account/champions`,
      }),
      reference: `consent-${row.id}`,
    })
    await recordAudit(trx, {
      action: 'consent.requested',
      outcome: 'success',
      actorId: championId,
      onBehalfOfId: person?.id ?? null,
      objectType: 'consent',
      objectId: row.id,
      details: { method: 'online', frameworks: scope.frameworks, actions: scope.actions, months: scope.months },
      ...ctx,
    })
    return { ok: true }
  })
}

export type OfflineConsentResult = { ok: true } | { ok: false; reason: 'self' | 'no-account' }

/**
 * A champion records consent the person gave on paper or by phone. It takes effect at once, is flagged for an
 * administrator to review, and the person is emailed so they can revoke it if they did not agree. The person must
 * already have an account, so champions (a role an administrator grants) learn whether an address has one.
 */
export async function recordOfflineConsent(
  db: AnyDb,
  championId: string,
  scope: ConsentScope & { note: string },
  mailer: Mailer,
  ctx: RequestContext,
): Promise<OfflineConsentResult> {
  return db.transaction().execute(async (trx): Promise<OfflineConsentResult> => {
    const person = await findLivePersonByEmail(trx, scope.email)
    if (!person || !person.email_verified_at) return { ok: false, reason: 'no-account' }
    if (person.id === championId) return { ok: false, reason: 'self' }
    const champion = await accounts(trx)
      .selectFrom('accounts.people')
      .select('email')
      .where('id', '=', championId)
      .executeTakeFirstOrThrow()
    const row = await accounts(trx)
      .insertInto('accounts.consents')
      .values({
        champion_id: championId,
        person_id: person.id,
        person_email_normalised: normaliseEmail(scope.email),
        frameworks: scope.frameworks,
        actions: scope.actions,
        method: 'offline',
        status: 'granted',
        offline_note: scope.note,
        needs_review: true,
        requested_at: ctx.now,
        decided_at: ctx.now,
        expires_at: addMonths(ctx.now, scope.months),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await queueEmail(trx, {
      to: person.email,
      template: 'accounts.consent-recorded',
      subject: mailer.t('accounts.emails.consentRecorded.subject'),
      body: mailer.t('accounts.emails.consentRecorded.body', {
        champion: champion.email,
        link: `${mailer.publicUrl}/account/champions`,
      }),
      reference: `consent-${row.id}`,
    })
    await recordAudit(trx, {
      action: 'consent.recorded-offline',
      outcome: 'success',
      actorId: championId,
      onBehalfOfId: person.id,
      objectType: 'consent',
      objectId: row.id,
      details: { method: 'offline', frameworks: scope.frameworks, actions: scope.actions, months: scope.months },
      ...ctx,
    })
    return { ok: true }
  })
}

/** Every consent a champion has asked for or recorded, newest first. */
export async function listChampionConsents(db: AnyDb, championId: string, now: Date): Promise<Consent[]> {
  const rows = await consents(db).where('c.champion_id', '=', championId).orderBy('c.requested_at', 'desc').execute()
  return rows.map((r) => toConsent(r, now))
}

/**
 * Every consent about a person, newest first. Requests sent to their address before they had an account (or
 * before they confirmed it) are matched to them here, once the address is confirmed.
 */
export async function listPersonConsents(db: AnyDb, personId: string, now: Date): Promise<Consent[]> {
  const me = await accounts(db)
    .selectFrom('accounts.people')
    .select(['email_normalised', 'email_verified_at'])
    .where('id', '=', personId)
    .executeTakeFirst()
  if (me?.email_verified_at) {
    await accounts(db)
      .updateTable('accounts.consents')
      .set({ person_id: personId })
      .where('person_id', 'is', null)
      .where('person_email_normalised', '=', me.email_normalised)
      .where('champion_id', '!=', personId)
      .execute()
  }
  const rows = await consents(db).where('c.person_id', '=', personId).orderBy('c.requested_at', 'desc').execute()
  return rows.map((r) => toConsent(r, now))
}

/** One consent, only if `personId` is the person it is about (anything else is not theirs to see). */
export async function findPersonConsent(db: AnyDb, personId: string, consentId: string, now: Date) {
  const row = await consents(db).where('c.id', '=', consentId).where('c.person_id', '=', personId).executeTakeFirst()
  return row && toConsent(row, now)
}

/** The person grants or refuses a request. False if it was not theirs, or no longer waiting for an answer. */
export async function answerConsent(
  db: AnyDb,
  personId: string,
  consentId: string,
  decision: 'grant' | 'refuse',
  ctx: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await accounts(trx)
      .updateTable('accounts.consents')
      .set({ status: decision === 'grant' ? 'granted' : 'refused', decided_at: ctx.now })
      .where('id', '=', consentId)
      .where('person_id', '=', personId)
      .where('status', '=', 'requested')
      .where('expires_at', '>', ctx.now)
      .returning('id')
      .executeTakeFirst()
    if (!row) return false
    await recordAudit(trx, {
      action: decision === 'grant' ? 'consent.granted' : 'consent.refused',
      outcome: 'success',
      actorId: personId,
      objectType: 'consent',
      objectId: consentId,
      ...ctx,
    })
    return true
  })
}

/**
 * Ends a live consent at once: by the person it is about, or by an administrator reviewing it. Any session
 * acting under it stops acting at its next request.
 */
export async function revokeConsent(
  db: AnyDb,
  by: { personId?: string; adminId?: string },
  consentId: string,
  ctx: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let q = accounts(trx)
      .updateTable('accounts.consents')
      .set({ status: 'revoked', revoked_at: ctx.now, revoked_by: by.personId ?? by.adminId ?? null })
      .where('id', '=', consentId)
      .where('status', 'in', ['granted', 'requested'])
    if (by.personId) q = q.where('person_id', '=', by.personId)
    if (by.adminId) q = q.set({ needs_review: false, reviewed_by: by.adminId, reviewed_at: ctx.now })
    const row = await q.returning('person_id').executeTakeFirst()
    if (!row) return false
    await recordAudit(trx, {
      action: 'consent.revoked',
      outcome: 'success',
      actorId: by.personId ?? by.adminId ?? null,
      onBehalfOfId: by.adminId ? row.person_id : null,
      objectType: 'consent',
      objectId: consentId,
      ...ctx,
    })
    return true
  })
}

/** Offline consents waiting for an administrator's review, oldest first. */
export async function listConsentsToReview(db: AnyDb, now: Date): Promise<Consent[]> {
  const rows = await consents(db)
    .where('c.needs_review', '=', true)
    .where('c.status', '=', 'granted')
    .orderBy('c.requested_at')
    .execute()
  return rows.map((r) => toConsent(r, now))
}

/** An administrator confirms an offline consent after checking the champion's note (or revokes it instead). */
export async function confirmReviewedConsent(
  db: AnyDb,
  adminId: string,
  consentId: string,
  ctx: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await accounts(trx)
      .updateTable('accounts.consents')
      .set({ needs_review: false, reviewed_by: adminId, reviewed_at: ctx.now })
      .where('id', '=', consentId)
      .where('needs_review', '=', true)
      .where('status', '=', 'granted')
      .returning('person_id')
      .executeTakeFirst()
    if (!row) return false
    await recordAudit(trx, {
      action: 'consent.reviewed',
      outcome: 'success',
      actorId: adminId,
      onBehalfOfId: row.person_id,
      objectType: 'consent',
      objectId: consentId,
      ...ctx,
    })
    return true
  })
}

/**
 * A champion starts acting for a person under one of their own live consents. Refused (and audited) if the
 * consent is not theirs, not granted, revoked or expired.
 */
export async function startActing(
  db: AnyDb,
  identity: Identity,
  consentId: string,
  ctx: RequestContext,
): Promise<boolean> {
  const row = await accounts(db)
    .selectFrom('accounts.consents')
    .select(['person_id', 'status', 'expires_at'])
    .where('id', '=', consentId)
    .where('champion_id', '=', identity.personId)
    .executeTakeFirst()
  const live = row && row.person_id && row.status === 'granted' && row.expires_at > ctx.now
  if (live) await setActingFor(accounts(db), identity.sessionId, consentId)
  await recordAudit(db, {
    action: 'consent.acting-started',
    outcome: live ? 'success' : 'denied',
    actorId: identity.personId,
    onBehalfOfId: live ? row.person_id : null,
    objectType: 'consent',
    objectId: consentId,
    ...ctx,
  })
  return Boolean(live)
}

/** The champion goes back to acting for themselves. */
export async function stopActing(db: AnyDb, identity: Identity, ctx: RequestContext): Promise<void> {
  await setActingFor(accounts(db), identity.sessionId, null)
  if (identity.actingFor) {
    await recordAudit(db, {
      action: 'consent.acting-stopped',
      outcome: 'success',
      actorId: identity.personId,
      onBehalfOfId: identity.actingFor.personId,
      objectType: 'consent',
      objectId: identity.actingFor.consentId,
      ...ctx,
    })
  }
}

/** The email addresses of some people, by id (to say who acted in a person's history). */
export async function emailsOf(db: AnyDb, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await accounts(db).selectFrom('accounts.people').select(['id', 'email']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.email]))
}
