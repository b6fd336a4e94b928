import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration must not import anything that may change (CONVENTIONS: migrations).
//
// Domain events and jobs (platform/jobs). A module publishes an event in the transaction of the change it reports
// (the transactional outbox pattern); a worker fans each event out to one delivery per handler of its type, and
// runs each delivery with retries. Scheduled jobs remember when they last started, so restarts and several
// processes do not run them more often than asked.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists platform`.execute(db)
  await db.schema
    .createTable('platform.events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type ~ '^[a-z][a-z0-9-]*([.][a-z0-9-]+)+$' and char_length(type) <= 100`),
    )
    // Ids, never personal data: events outlive the records they point at (erasure deletes or anonymises those).
    .addColumn('payload', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(payload) = 'object'`))
    // The publisher's idempotency key; unique when present (NULLs are distinct, so most events have none).
    .addColumn('key', 'text', (c) => c.unique().check(sql`char_length(key) <= 200`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    // Set once the worker has made this event's deliveries; until then it is waiting to be fanned out.
    .addColumn('dispatched_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('events_undispatched_idx')
    .on('platform.events')
    .column('occurred_at')
    .where(sql.ref('dispatched_at'), 'is', null)
    .execute()
  // A handler seen for the first time is given every earlier event of its type.
  await db.schema.createIndex('events_type_idx').on('platform.events').columns(['type', 'occurred_at']).execute()

  await db.schema
    .createTable('platform.event_deliveries')
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('platform.events.id').onDelete('cascade'))
    .addColumn('handler', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','running','done','failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // When the worker may next take it: now, a retry's backoff, or the end of the lease of a running one.
    .addColumn('run_after', 'timestamptz', (c) => c.notNull())
    // The error's class and message only, never the payload.
    .addColumn('last_error', 'text')
    .addColumn('done_at', 'timestamptz')
    .addPrimaryKeyConstraint('event_deliveries_pkey', ['event_id', 'handler'])
    .execute()
  await db.schema
    .createIndex('event_deliveries_due_idx')
    .on('platform.event_deliveries')
    .columns(['run_after'])
    .where(sql.ref('status'), 'in', ['pending', 'running'])
    .execute()

  await db.schema
    .createTable('platform.event_handlers')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('platform.scheduled_jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // A run is due when this is null or the job's interval has passed since; claimed by setting it.
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.scheduled_jobs').execute()
  await db.schema.dropTable('platform.event_handlers').execute()
  await db.schema.dropTable('platform.event_deliveries').execute()
  await db.schema.dropTable('platform.events').execute()
}
