import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  // An erased person's row stays as an anonymous tombstone, so records that must be kept still point somewhere.
  await db.schema.alterTable('accounts.people').addColumn('erased_at', 'timestamptz').execute()

  // Roles granted on top of being a resident. A grant is never deleted: revoking it keeps who granted and who
  // revoked it, and when, next to the audit trail's record of both.
  await db.schema
    .createTable('accounts.role_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('accounts.people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`role in ('champion','provider-staff','regulator','commissioner','neighbourhood-officer','ombudsman','appeals-panel','analyst','admin')`,
        ),
    )
    .addColumn('scope_type', 'text')
    .addColumn('scope_id', 'text', (c) => c.check(sql`char_length(scope_id) <= 100`))
    .addColumn('granted_by', 'uuid', (c) => c.references('accounts.people.id'))
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_by', 'uuid', (c) => c.references('accounts.people.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('role_grants_scope_pair', sql`(scope_type is null) = (scope_id is null)`)
    .execute()
  await sql`create unique index role_grants_live_idx on accounts.role_grants
    (person_id, role, coalesce(scope_type, ''), coalesce(scope_id, '')) where revoked_at is null`.execute(db)

  // A choice champion's consent to act for a person: asked online (the person answers in their own account) or
  // recorded by the champion as given offline, which an administrator then reviews. Until the person is matched
  // to an account, the request is addressed to an email address.
  await db.schema
    .createTable('accounts.consents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('champion_id', 'uuid', (c) => c.notNull().references('accounts.people.id'))
    .addColumn('person_id', 'uuid', (c) => c.references('accounts.people.id'))
    .addColumn('person_email_normalised', 'text')
    .addColumn('frameworks', sql`text[]`, (c) => c.notNull())
    .addColumn('actions', sql`text[]`, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('online','offline')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('requested','granted','refused','revoked')`))
    .addColumn('offline_note', 'text', (c) => c.check(sql`char_length(offline_note) <= 1000`))
    .addColumn('needs_review', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reviewed_by', 'uuid', (c) => c.references('accounts.people.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_by', 'uuid', (c) => c.references('accounts.people.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('consents_addressed', sql`person_id is not null or person_email_normalised is not null`)
    .execute()
  await db.schema.createIndex('consents_champion_idx').on('accounts.consents').column('champion_id').execute()
  await db.schema.createIndex('consents_person_idx').on('accounts.consents').column('person_id').execute()
  await db.schema
    .createIndex('consents_email_idx')
    .on('accounts.consents')
    .column('person_email_normalised')
    .where(sql.ref('person_id'), 'is', null)
    .execute()

  // While a champion acts for someone, their session names the consent that allows it.
  await db.schema
    .alterTable('accounts.sessions')
    .addColumn('acting_for_consent_id', 'uuid', (c) => c.references('accounts.consents.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts.sessions').dropColumn('acting_for_consent_id').execute()
  await db.schema.dropTable('accounts.consents').execute()
  await db.schema.dropTable('accounts.role_grants').execute()
  await db.schema.alterTable('accounts.people').dropColumn('erased_at').execute()
}
