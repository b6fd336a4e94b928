import { sql, type Kysely } from 'kysely'

// Frozen in time. A first, flat provider table for demo data; the directory issue (#4) replaces it with
// organisations, services, locations and registrations.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists directory`.execute(db)
  await db.schema
    .createTable('directory.outcodes')
    .addColumn('outcode', 'text', (c) => c.primaryKey())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('directory.providers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('framework', 'text', (c) =>
      c.notNull().check(sql`framework in ('nhs-care','social-housing','social-care','education','early-education')`),
    )
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('outcode', 'text')
    .addColumn('la_name', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('location_precision', 'text', (c) => c.check(sql`location_precision in ('exact','outcode')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed','dormant','proposed')`))
    .addColumn('regulator', 'text')
    .addColumn('rating', 'text')
    .addColumn('rating_date', 'date')
    .addColumn('opened_on', 'date')
    .addColumn('closed_on', 'date')
    .addColumn('places', 'integer')
    .addColumn('telephone', 'text')
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('providers_source_ref_key', ['source', 'source_ref'])
    .execute()
  await db.schema
    .createIndex('providers_framework_name_idx')
    .on('directory.providers')
    .columns(['framework', 'name'])
    .execute()
  await db.schema.createIndex('providers_outcode_idx').on('directory.providers').column('outcode').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop schema directory cascade`.execute(db)
}
