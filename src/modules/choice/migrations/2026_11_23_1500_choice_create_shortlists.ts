import { sql, type Kysely } from 'kysely'

// Frozen in time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists choice`.execute(db)
  // The providers a person is considering. Who added each one is kept: the person, or a champion acting for them.
  // Ids only, without foreign keys into other modules' schemas (each module owns its tables).
  await db.schema
    .createTable('choice.shortlist_items')
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('provider_id', 'uuid', (c) => c.notNull())
    .addColumn('added_by', 'uuid', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('shortlist_items_pkey', ['person_id', 'provider_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop schema choice cascade`.execute(db)
}
