import { type Kysely } from 'kysely'

// Frozen in time. The Open Referral UK API and the open data downloads fetch a page's organisation identifiers by
// organisation in one query; the primary key (scheme, value) cannot serve that.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('organisation_identifiers_organisation_idx')
    .on('directory.organisation_identifiers')
    .column('organisation_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory.organisation_identifiers_organisation_idx').execute()
}
