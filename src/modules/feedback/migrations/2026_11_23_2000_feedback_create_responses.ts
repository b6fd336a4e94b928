import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// Individual answers to the Friends and Family Test question, and the single-use tokens of feedback links. Service
// ids are the directory's, held without foreign keys into its schema (each module owns its tables).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists feedback`.execute(db)
  await db.schema
    .createTable('feedback.responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('period', 'date', (c) => c.notNull().check(sql`extract(day from period) = 1`))
    .addColumn('answer', 'text', (c) =>
      c.notNull().check(sql`answer in ('very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know')`),
    )
    .addColumn('mode', 'text', (c) =>
      c.notNull().check(sql`mode in ('online', 'paper', 'kiosk', 'sms', 'staff-assisted')`),
    )
    // One response per person (or token) per service per month, enforced without storing who answered.
    .addColumn('once_key', 'text', (c) => c.notNull().unique())
    .addColumn('comment', 'text')
    .addColumn('comment_state', 'text', (c) => c.check(sql`comment_state in ('pending', 'published', 'rejected')`))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('responses_comment_has_state', sql`(comment is null) = (comment_state is null)`)
    .execute()
  // Figures are built per service and month.
  await db.schema
    .createIndex('responses_service_period')
    .on('feedback.responses')
    .columns(['service_id', 'period'])
    .execute()

  await db.schema
    .createTable('feedback.tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop schema feedback cascade`.execute(db)
}
