import { sql, type Kysely } from 'kysely'

// Frozen in time. The Open Referral UK API and the open data downloads page through every listed service: an
// index of listed services' ids makes a deep page an index-only range instead of a scan of everything before it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index services_listed_idx on directory.services (id) where unlisted_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory.services_listed_idx').execute()
}
