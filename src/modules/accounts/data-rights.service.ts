import type { ExpressionBuilder } from 'kysely'
import { moduleDb, recordAudit, type AnyDb, type ModuleManifest, type PersonRef } from '../../platform/index.ts'
import type { RequestContext } from './accounts.service.ts'
import { verifyPassword } from './passwords.ts'
import type { AccountsTables } from './tables.ts'

function accounts(db: AnyDb) {
  return moduleDb<AccountsTables>(db)
}

async function personRef(db: AnyDb, personId: string): Promise<PersonRef | undefined> {
  return accounts(db)
    .selectFrom('accounts.people')
    .select(['id', 'email'])
    .where('id', '=', personId)
    .where('erased_at', 'is', null)
    .executeTakeFirst()
}

/**
 * Whether the person at the keyboard is the account holder: their password, for accounts that have one. People
 * who sign in only through One Login have none; their recent sign-in there is the proof.
 */
export async function isAccountHolder(db: AnyDb, personId: string, password: string | undefined): Promise<boolean> {
  const row = await accounts(db)
    .selectFrom('accounts.people')
    .select('password_hash')
    .where('id', '=', personId)
    .executeTakeFirst()
  if (!row) return false
  if (!row.password_hash) return true
  return Boolean(password) && verifyPassword(row.password_hash, password!)
}

/** The accounts module's part of an export: the account, its sign-ins, roles and consents (never secrets). */
export async function exportAccountsData(db: AnyDb, person: PersonRef) {
  const a = accounts(db)
  return {
    account: await a
      .selectFrom('accounts.people')
      .select(['id', 'email', 'email_verified_at', 'created_at', 'password_changed_at'])
      .where('id', '=', person.id)
      .executeTakeFirst(),
    sessions: await a
      .selectFrom('accounts.sessions')
      .select(['created_at', 'last_seen_at', 'ended_at', 'ended_reason'])
      .where('person_id', '=', person.id)
      .orderBy('created_at')
      .execute(),
    linkedSignIns: await a
      .selectFrom('accounts.external_identities')
      .select(['issuer', 'subject', 'created_at'])
      .where('person_id', '=', person.id)
      .execute(),
    roles: await a
      .selectFrom('accounts.role_grants')
      .select(['role', 'scope_type', 'scope_id', 'granted_at', 'revoked_at'])
      .where('person_id', '=', person.id)
      .execute(),
    consentsGivenByYou: await a
      .selectFrom('accounts.consents')
      .select(['id', 'champion_id', 'frameworks', 'actions', 'method', 'status', 'offline_note'])
      .select(['requested_at', 'decided_at', 'expires_at', 'revoked_at'])
      .where('person_id', '=', person.id)
      .execute(),
    consentsYouHoldAsChampion: await a
      .selectFrom('accounts.consents')
      .select(['id', 'person_id', 'frameworks', 'actions', 'method', 'status', 'requested_at', 'expires_at'])
      .where('champion_id', '=', person.id)
      .execute(),
  }
}

/**
 * The accounts module's part of an erasure. Sessions, email links, sign-in failures and linked sign-in identities
 * are deleted; consents and role grants are kept for accountability (what a champion did, who had access) with
 * free text removed and anything live ended; the person's row stays as an anonymous tombstone.
 */
export async function eraseAccountsData(trx: AnyDb, person: PersonRef): Promise<number> {
  const a = accounts(trx)
  const now = new Date()
  const counts = await Promise.all([
    a.deleteFrom('accounts.sessions').where('person_id', '=', person.id).executeTakeFirst(),
    a.deleteFrom('accounts.email_tokens').where('person_id', '=', person.id).executeTakeFirst(),
    a.deleteFrom('accounts.sign_in_failures').where('person_id', '=', person.id).executeTakeFirst(),
    a.deleteFrom('accounts.external_identities').where('person_id', '=', person.id).executeTakeFirst(),
    // Requests sent to the address that never reached an account.
    a
      .deleteFrom('accounts.consents')
      .where('person_id', 'is', null)
      .where('person_email_normalised', '=', person.email.toLowerCase())
      .executeTakeFirst(),
  ])
  const theirs = (eb: ExpressionBuilder<AccountsTables, 'accounts.consents'>) =>
    eb.or([eb('person_id', '=', person.id), eb('champion_id', '=', person.id)])
  await a
    .updateTable('accounts.consents')
    .set({ status: 'revoked', revoked_at: now })
    .where(theirs)
    .where('status', 'in', ['granted', 'requested'])
    .execute()
  const consents = await a
    .updateTable('accounts.consents')
    .set({ offline_note: null, person_email_normalised: null })
    .where(theirs)
    .executeTakeFirst()
  const roles = await a
    .updateTable('accounts.role_grants')
    .set({ revoked_at: now })
    .where('person_id', '=', person.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  const placeholder = `erased-${person.id}@erased.invalid`
  await a
    .updateTable('accounts.people')
    .set({ email: placeholder, email_normalised: placeholder, password_hash: null, erased_at: now })
    .where('id', '=', person.id)
    .execute()
  const deleted = counts.reduce((n, r) => n + Number(r.numDeletedRows), 0)
  return deleted + Number(consents.numUpdatedRows) + Number(roles.numUpdatedRows) + 1
}

/** Everything every module holds about a person, keyed by module; the export itself is audited. */
export async function exportPersonalData(
  db: AnyDb,
  modules: readonly ModuleManifest[],
  personId: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const person = await personRef(db, personId)
  if (!person) return {}
  const data: Record<string, unknown> = { exportedAt: ctx.now.toISOString() }
  for (const m of modules) if (m.exportPersonalData) data[m.name] = await m.exportPersonalData(db, person)
  await recordAudit(db, {
    action: 'personal-data.exported',
    outcome: 'success',
    actorId: personId,
    objectType: 'person',
    objectId: personId,
    ...ctx,
  })
  return data
}

/**
 * Erases a person across every module in one transaction (later modules first, as they depend on earlier ones):
 * all of it happens, or none of it does.
 */
export async function erasePerson(
  db: AnyDb,
  modules: readonly ModuleManifest[],
  personId: string,
  ctx: RequestContext,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const person = await personRef(trx, personId)
    if (!person) return false
    const touched: Record<string, number> = {}
    for (const m of [...modules].reverse()) {
      if (m.erasePersonalData) touched[m.name] = await m.erasePersonalData(trx, person)
    }
    await recordAudit(trx, {
      action: 'personal-data.erased',
      outcome: 'success',
      actorId: personId,
      objectType: 'person',
      objectId: personId,
      details: touched,
      ...ctx,
    })
    return true
  })
}
