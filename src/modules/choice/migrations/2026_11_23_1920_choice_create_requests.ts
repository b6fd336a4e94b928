import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  // A person's request to a provider they chose (a GP registration, a nursery place, a care provider, a school place).
  // The service's organisation is copied in when the request is made, so provider staff's inbox and access checks
  // need no read of the directory's tables. person_id and made_by are emptied on erasure; the rest is kept for the
  // providers' published response times.
  await db.schema
    .createTable('choice.requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid')
    .addColumn('made_by', 'uuid')
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('framework', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('sent', 'accepted', 'declined', 'not-answered', 'withdrawn')`),
    )
    .addColumn('made_at', 'timestamptz', (c) => c.notNull())
    // The end of the last working day of the framework's response standard (its London date is the due date).
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('decline_reason', 'text')
    .addColumn('answer_note', 'text')
    // The form's one-time key: the same form sent twice makes one request.
    .addColumn('submission_key', 'uuid', (c) => c.notNull())
    .execute()
  await sql`create unique index requests_submission_idx on choice.requests (person_id, submission_key)`.execute(db)
  // One open request per person per provider.
  await sql`create unique index requests_open_idx on choice.requests (person_id, service_id) where status = 'sent'`.execute(
    db,
  )
  await sql`create index requests_inbox_idx on choice.requests (organisation_id, made_at desc)`.execute(db)
  await sql`create index requests_person_idx on choice.requests (person_id, made_at desc)`.execute(db)
  await sql`create index requests_due_idx on choice.requests (due_at) where status = 'sent'`.execute(db)

  // Each state a request passed through, who moved it there (null: the deadline passing) and for whom.
  await db.schema
    .createTable('choice.request_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('choice.requests.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('on_behalf_of_id', 'uuid')
    .execute()
  await sql`create index request_history_request_idx on choice.request_history (request_id, id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('choice.request_history').execute()
  await db.schema.dropTable('choice.requests').execute()
}
