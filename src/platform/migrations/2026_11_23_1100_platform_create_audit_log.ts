import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration must not import anything that may change (CONVENTIONS: migrations).
//
// The tamper-evident audit trail (issue #3, part 6). Rows are only ever inserted: statement-level triggers raise on
// UPDATE, DELETE and TRUNCATE, so the database itself refuses to rewrite history, whoever asks. Each row carries the
// hash of the row before it, so a superuser who turns the triggers off and edits or removes a row breaks the chain,
// and `openchoice audit verify` finds it.
//
// `seq` is a plain bigint, not an identity column: a sequence is not gapless (a rolled-back transaction burns its
// value), and a gap is how verify spots a removed row. The writer assigns seq = last seq + 1 while holding a
// transaction-scoped advisory lock, so seq is gapless and the primary key rejects any writer that skips the lock.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists platform`.execute(db)
  await db.schema
    .createTable('platform.audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq > 0`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('on_behalf_of_id', 'uuid')
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action ~ '^[a-z][a-z0-9-]*([.][a-z][a-z0-9-]*)+$' and char_length(action) <= 100`),
    )
    .addColumn('object_type', 'text', (c) => c.check(sql`char_length(object_type) <= 100`))
    .addColumn('object_id', 'text', (c) => c.check(sql`char_length(object_id) <= 200`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'failure', 'denied')`))
    .addColumn('request_id', 'text', (c) => c.check(sql`char_length(request_id) <= 100`))
    .addColumn('ip_hash', 'text', (c) => c.check(sql`ip_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('details', 'jsonb', (c) =>
      c
        .notNull()
        .defaultTo(sql`'{}'::jsonb`)
        .check(sql`jsonb_typeof(details) = 'object'`),
    )
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('hash', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`hash ~ '^[0-9a-f]{64}$'`),
    )
    .execute()

  // Who did what to one person or object, newest first (data-subject export, investigations).
  await db.schema.createIndex('audit_log_actor_idx').on('platform.audit_log').columns(['actor_id', 'seq']).execute()
  await db.schema
    .createIndex('audit_log_on_behalf_of_idx')
    .on('platform.audit_log')
    .columns(['on_behalf_of_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('audit_log_object_idx')
    .on('platform.audit_log')
    .columns(['object_type', 'object_id', 'seq'])
    .execute()

  await sql`
    create function platform.audit_log_is_append_only() returns trigger
    language plpgsql as $$
    begin
      raise exception 'platform.audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege',
              hint = 'Audit entries are never changed or removed; record a new entry instead.';
    end
    $$`.execute(db)
  // Statement-level, so even an UPDATE or DELETE that matches no row is refused.
  await sql`
    create trigger audit_log_no_update_or_delete
    before update or delete on platform.audit_log
    for each statement execute function platform.audit_log_is_append_only()`.execute(db)
  await sql`
    create trigger audit_log_no_truncate
    before truncate on platform.audit_log
    for each statement execute function platform.audit_log_is_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform.audit_log').execute()
  await sql`drop function if exists platform.audit_log_is_append_only()`.execute(db)
}
