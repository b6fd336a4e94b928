import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// One row per decided choice request, from the choice module's `choice.request-decided` event: whether the provider
// answered within the Choice Charter's standard. Ids and times only: nothing says who made the request.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feedback.request_outcomes')
    .addColumn('request_id', 'uuid', (c) => c.primaryKey())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('framework', 'text', (c) =>
      c
        .notNull()
        .check(sql`framework in ('nhs-care', 'social-housing', 'social-care', 'education', 'early-education')`),
    )
    .addColumn('period', 'date', (c) => c.notNull().check(sql`extract(day from period) = 1`))
    .addColumn('on_time', 'boolean', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .execute()
  // The publication reads a year of months for every service, or for one.
  await sql`create index request_outcomes_period on feedback.request_outcomes (period, service_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feedback.request_outcomes').execute()
}
