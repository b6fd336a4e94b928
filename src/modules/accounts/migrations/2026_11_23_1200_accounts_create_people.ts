import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists accounts`.execute(db)
  await db.schema
    .createTable('accounts.people')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalised', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Only a SHA-256 of each session token is stored: a copy of this table cannot be used to sign in.
  await db.schema
    .createTable('accounts.sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('id', 'uuid', (c) =>
      c
        .notNull()
        .unique()
        .defaultTo(sql`gen_random_uuid()`),
    )
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('accounts.people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_reason', 'text')
    .execute()
  await db.schema.createIndex('sessions_person_idx').on('accounts.sessions').column('person_id').execute()

  // Single-use tokens sent by email (verify an address, reset a password); stored hashed, like sessions.
  await db.schema
    .createTable('accounts.email_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('accounts.people.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('verify-email','reset-password')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()

  // Failed sign-ins per account, for growing delays and the hourly cap.
  await db.schema
    .createTable('accounts.sign_in_failures')
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('accounts.people.id').onDelete('cascade'))
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sign_in_failures_person_idx')
    .on('accounts.sign_in_failures')
    .columns(['person_id', 'failed_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop schema accounts cascade`.execute(db)
}
