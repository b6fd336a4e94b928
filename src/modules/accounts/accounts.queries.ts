import { sql, type Kysely } from 'kysely'
import type { AccountsTables, EmailTokenPurpose, PersonRow } from './tables.ts'

type Db = Kysely<AccountsTables>

export async function selectPersonByEmail(db: Db, emailNormalised: string): Promise<PersonRow | undefined> {
  return db.selectFrom('accounts.people').selectAll().where('email_normalised', '=', emailNormalised).executeTakeFirst()
}

export async function selectPersonById(db: Db, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('accounts.people').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertPerson(db: Db, p: { email: string; emailNormalised: string; passwordHash: string }) {
  return db
    .insertInto('accounts.people')
    .values({ email: p.email, email_normalised: p.emailNormalised, password_hash: p.passwordHash })
    .onConflict((oc) => oc.column('email_normalised').doNothing())
    .returning('id')
    .executeTakeFirst()
}

export async function updatePassword(db: Db, personId: string, passwordHash: string, now: Date) {
  await db
    .updateTable('accounts.people')
    .set({ password_hash: passwordHash, password_changed_at: now })
    .where('id', '=', personId)
    .execute()
}

export async function markEmailVerified(db: Db, personId: string, now: Date) {
  await db
    .updateTable('accounts.people')
    .set({ email_verified_at: now })
    .where('id', '=', personId)
    .where('email_verified_at', 'is', null)
    .execute()
}

export async function insertEmailToken(
  db: Db,
  t: { tokenHash: string; personId: string; purpose: EmailTokenPurpose; now: Date; expiresAt: Date },
) {
  await db
    .insertInto('accounts.email_tokens')
    .values({
      token_hash: t.tokenHash,
      person_id: t.personId,
      purpose: t.purpose,
      created_at: t.now,
      expires_at: t.expiresAt,
    })
    .execute()
}

/** Marks a live token used and returns its person, atomically: a token works once, however often it is sent. */
export async function consumeEmailToken(db: Db, tokenHash: string, purpose: EmailTokenPurpose, now: Date) {
  return db
    .updateTable('accounts.email_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('person_id')
    .executeTakeFirst()
}

export async function selectLiveEmailToken(db: Db, tokenHash: string, purpose: EmailTokenPurpose, now: Date) {
  return db
    .selectFrom('accounts.email_tokens')
    .select('person_id')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
}

export async function countEmailTokensSince(db: Db, personId: string, purpose: EmailTokenPurpose, since: Date) {
  const row = await db
    .selectFrom('accounts.email_tokens')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('person_id', '=', personId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return row.n
}

export async function insertSignInFailure(db: Db, personId: string, now: Date) {
  await db.insertInto('accounts.sign_in_failures').values({ person_id: personId, failed_at: now }).execute()
}

/** Failures in the last hour, and the time of the latest. */
export async function selectRecentFailures(db: Db, personId: string, since: Date) {
  return db
    .selectFrom('accounts.sign_in_failures')
    .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`max(failed_at)`.as('latest')])
    .where('person_id', '=', personId)
    .where('failed_at', '>', since)
    .executeTakeFirstOrThrow()
}

export async function clearSignInFailures(db: Db, personId: string) {
  await db.deleteFrom('accounts.sign_in_failures').where('person_id', '=', personId).execute()
}
