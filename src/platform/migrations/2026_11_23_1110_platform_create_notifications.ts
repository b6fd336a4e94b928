import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration must not import anything that may change (CONVENTIONS: migrations).
// The notifications outbox: a message is queued in the same transaction as the change it reports, and a
// dispatcher sends it afterwards (the transactional outbox pattern).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists platform`.execute(db)
  await db.schema
    .createTable('platform.notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email')`))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued','sending','sent','failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The dispatcher's query: due messages that are queued, or stuck in 'sending' past their lease. Partial, so it
  // stays small however many sent messages the table holds.
  await db.schema
    .createIndex('notifications_due_idx')
    .on('platform.notifications')
    .columns(['status', 'next_attempt_at'])
    .where(sql.ref('status'), 'in', ['queued', 'sending'])
    .execute()
  // The development outbox page lists the newest first.
  await db.schema
    .createIndex('notifications_created_at_idx')
    .on('platform.notifications')
    .column('created_at')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.notifications').execute()
}
