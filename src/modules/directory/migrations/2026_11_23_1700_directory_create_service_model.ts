import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// The directory as Open Referral UK (HSDS) models it: an organisation provides services; a service is delivered at
// locations (service_at_location); a regulator registers the service. The first directory table, one flat row per
// provider, is moved across row by row (keeping its ids, which other modules hold) and dropped.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory.import_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('directory.organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('sector', 'text', (c) =>
      c.check(sql`sector in ('public', 'private', 'voluntary', 'mutual', 'social-enterprise')`),
    )
    .addColumn('website', 'text')
    .addColumn('email', 'text')
    .execute()
  // Published identifiers: an ODS code, a URN, a company or charity number. One value per scheme names one body.
  await db.schema
    .createTable('directory.organisation_identifiers')
    .addColumn('organisation_id', 'uuid', (c) =>
      c.notNull().references('directory.organisations.id').onDelete('cascade'),
    )
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_identifiers_pkey', ['scheme', 'value'])
    .execute()

  await db.schema
    .createTable('directory.locations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('outcode', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('precision', 'text', (c) => c.check(sql`precision in ('exact', 'outcode')`))
    .addColumn('la_code', 'text')
    .addColumn('la_name', 'text')
    .addColumn('lsoa_code', 'text')
    .execute()

  await db.schema
    .createTable('directory.services')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('directory.organisations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('framework', 'text', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'inactive', 'defunct', 'temporarily closed')`),
    )
    .addColumn('places', 'integer')
    .addColumn('telephone', 'text')
    .addColumn('opened_on', 'date')
    .addColumn('closed_on', 'date')
    // Kept up to date by the provider's own staff (regulator-owned fields stay the importer's).
    .addColumn('description', 'text')
    .addColumn('opening_times', 'text')
    .addColumn('accessibility', 'text')
    .addColumn('email', 'text')
    .addColumn('url', 'text')
    // Which file last said this, and when; null listed_until means the latest file still lists it.
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('import_run_id', 'uuid', (c) => c.references('directory.import_runs.id'))
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('unlisted_at', 'timestamptz')
    .addUniqueConstraint('services_source_ref_key', ['source', 'source_ref'])
    .execute()
  await sql`create index services_list_idx on directory.services (framework, name, id)
    where status = 'active' and unlisted_at is null`.execute(db)
  await db.schema.createIndex('services_organisation_idx').on('directory.services').column('organisation_id').execute()

  await db.schema
    .createTable('directory.service_at_locations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('directory.services.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('directory.locations.id').onDelete('cascade'))
    .addUniqueConstraint('service_at_locations_pair_key', ['service_id', 'location_id'])
    .execute()

  // What the regulator says: whether the service may operate, and how well it does.
  await db.schema
    .createTable('directory.registrations')
    .addColumn('service_id', 'uuid', (c) => c.primaryKey().references('directory.services.id').onDelete('cascade'))
    .addColumn('regulator', 'text', (c) => c.notNull())
    .addColumn('regulator_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('registered', 'suspended', 'cancelled', 'proposed', 'not-required')`),
    )
    .addColumn('rating', 'text')
    .addColumn('rating_date', 'date')
    .addColumn('rated_by', 'text')
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('import_run_id', 'uuid', (c) => c.references('directory.import_runs.id'))
    .execute()

  // What each newer file changed: new and vanished services, status, rating, closure, name and address.
  await db.schema
    .createTable('directory.service_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('directory.services.id').onDelete('cascade'))
    .addColumn('import_run_id', 'uuid', (c) => c.references('directory.import_runs.id'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull().check(sql`change in ('listed', 'updated', 'unlisted')`))
    .addColumn('field', 'text')
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .execute()
  await db.schema
    .createIndex('service_changes_service_idx')
    .on('directory.service_changes')
    .columns(['service_id', 'changed_at'])
    .execute()

  // Move the flat rows across, keeping each provider's id as its organisation's and its service's id.
  await sql`insert into directory.organisations (id, name) select id, name from directory.providers`.execute(db)
  await sql`insert into directory.organisation_identifiers (organisation_id, scheme, value)
    select id, source, source_ref from directory.providers`.execute(db)
  await sql`insert into directory.locations (id, address, town, postcode, outcode, latitude, longitude, precision, la_name)
    select id, address, town, postcode, outcode, latitude, longitude, location_precision, la_name
    from directory.providers`.execute(db)
  await sql`insert into directory.services (id, organisation_id, source, source_ref, name, framework, service_type,
      status, places, telephone, opened_on, closed_on, source_file, imported_at)
    select id, id, source, source_ref, name, framework, provider_type,
      case status when 'open' then 'active' when 'closed' then 'defunct' else 'inactive' end,
      places, telephone, opened_on, closed_on, source_file, imported_at
    from directory.providers`.execute(db)
  await sql`insert into directory.service_at_locations (service_id, location_id)
    select id, id from directory.providers`.execute(db)
  await sql`insert into directory.registrations (service_id, regulator, regulator_ref, status, rating, rating_date,
      rated_by, source_file)
    select id,
      case source when 'ods-epraccur' then 'nhs-ods' when 'ofsted-childcare' then 'ofsted' when 'gias' then 'dfe'
        else source end,
      source_ref,
      case status when 'open' then 'registered' when 'proposed' then 'proposed'
        when 'dormant' then 'suspended' else 'cancelled' end,
      rating, rating_date, regulator, source_file
    from directory.providers`.execute(db)
  await db.schema.dropTable('directory.providers').execute()
}

export async function down(): Promise<void> {
  throw new Error('The directory service model cannot be rolled back: restore from a backup instead')
}
