import { type Kysely } from 'kysely'

// Frozen in time. Searching by distance narrows rows with a bounding box on the coordinates first.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('locations_coordinates_idx')
    .on('directory.locations')
    .columns(['latitude', 'longitude'])
    .execute()
  await db.schema
    .createIndex('service_at_locations_location_idx')
    .on('directory.service_at_locations')
    .column('location_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('directory.service_at_locations_location_idx').execute()
  await db.schema.dropIndex('directory.locations_coordinates_idx').execute()
}
