import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  // Each choice prompt shown: which framework, at which decision point, to whom (null when signed out) and, when a
  // champion was acting, for whom. The fairness report sets these against the choices people then made.
  await db.schema
    .createTable('choice.prompts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('framework', 'text', (c) => c.notNull())
    .addColumn('point', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid')
    .addColumn('on_behalf_of_id', 'uuid')
    .addColumn('shown_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // Export and erasure find a person's rows; the report reads by time.
  await sql`create index prompts_person_idx on choice.prompts (person_id) where person_id is not null`.execute(db)
  await sql`create index prompts_on_behalf_of_idx on choice.prompts (on_behalf_of_id) where on_behalf_of_id is not null`.execute(
    db,
  )
  await sql`create index prompts_shown_at_idx on choice.prompts (shown_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('choice.prompts').execute()
}
