import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration must not import anything that may change (CONVENTIONS: migrations).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists platform`.execute(db)
  await db.schema
    .createTable('platform.service_feedback')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('satisfaction', 'text', (c) =>
      c
        .notNull()
        .check(sql`satisfaction in ('very-satisfied','satisfied','neutral','dissatisfied','very-dissatisfied')`),
    )
    .addColumn('comments', 'text', (c) => c.check(sql`char_length(comments) <= 1200`))
    .addColumn('page', 'text', (c) => c.check(sql`char_length(page) <= 200`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.service_feedback').execute()
}
