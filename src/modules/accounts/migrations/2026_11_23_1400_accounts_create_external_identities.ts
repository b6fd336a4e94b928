import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  // Who an OIDC provider (GOV.UK One Login) says a person is: its issuer and the subject it gives them.
  await db.schema
    .createTable('accounts.external_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('accounts.people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('external_identities_pkey', ['issuer', 'subject'])
    .execute()
  await db.schema
    .createIndex('external_identities_person_idx')
    .on('accounts.external_identities')
    .column('person_id')
    .execute()

  // People who only sign in with One Login have no password.
  await sql`alter table accounts.people alter column password_hash drop not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  // Fails while anyone has no password: their accounts are not deleted behind the operator's back.
  await sql`alter table accounts.people alter column password_hash set not null`.execute(db)
  await db.schema.dropTable('accounts.external_identities').execute()
}
