import type { Kysely } from 'kysely'
import type { AccountsTables } from './tables.ts'

type Db = Kysely<AccountsTables>

/** The person an external identity (issuer, subject) is linked to, if any. */
export async function selectPersonIdByExternalIdentity(db: Db, issuer: string, subject: string) {
  const row = await db
    .selectFrom('accounts.external_identities')
    .select('person_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row?.person_id
}

/** Links an external identity to a person; an identity already linked (by a sign-in racing this one) stays as it is. */
export async function insertExternalIdentity(
  db: Db,
  i: { issuer: string; subject: string; personId: string; now: Date },
) {
  await db
    .insertInto('accounts.external_identities')
    .values({ issuer: i.issuer, subject: i.subject, person_id: i.personId, created_at: i.now })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .execute()
}

/** A person with no password whose address the provider has confirmed; undefined if the address is taken. */
export async function insertPersonWithoutPassword(db: Db, p: { email: string; emailNormalised: string; now: Date }) {
  return db
    .insertInto('accounts.people')
    .values({
      email: p.email,
      email_normalised: p.emailNormalised,
      password_hash: null,
      email_verified_at: p.now,
      created_at: p.now,
    })
    .onConflict((oc) => oc.column('email_normalised').doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Removes the password of an account whose address was never confirmed; true if there was one. */
export async function clearUnconfirmedPassword(db: Db, personId: string): Promise<boolean> {
  const result = await db
    .updateTable('accounts.people')
    .set({ password_hash: null })
    .where('id', '=', personId)
    .where('email_verified_at', 'is', null)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
