import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// Reference geography loaded from published files (issue #4): every postcode from the ONS Postcode Directory, and
// the English Indices of Deprivation 2019 for each LSOA (2011 boundaries). directory.outcodes (postcode district
// centroids) already exists. Coordinates are WGS84 decimal degrees.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory.postcodes')
    .addColumn('postcode', 'text', (c) => c.primaryKey())
    .addColumn('outcode', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('la_code', 'text')
    .addColumn('lsoa11_code', 'text')
    .addColumn('lsoa21_code', 'text')
    .addColumn('country_code', 'text')
    // ONSPD gives the month a postcode was terminated; it is kept (old addresses still carry it), marked.
    .addColumn('terminated_on', 'date')
    .addCheckConstraint('postcodes_coordinates_check', sql`(latitude is null) = (longitude is null)`)
    .execute()
  await db.schema.createIndex('postcodes_outcode_idx').on('directory.postcodes').column('outcode').execute()
  await db.schema.createIndex('postcodes_la_code_idx').on('directory.postcodes').column('la_code').execute()

  // One row per LSOA, filled by whichever of IoD2019 Files 1, 2 and 6 have been imported; a column stays null until
  // the file that carries it is imported. Rank 1 is the most deprived of 32,844 LSOAs; decile 1 the most deprived 10%.
  const rankAndDecile = [
    'imd',
    'income',
    'employment',
    'education',
    'health',
    'crime',
    'barriers',
    'living_environment',
  ] as const
  let table = db.schema
    .createTable('directory.lsoa_deprivation')
    .addColumn('lsoa_code', 'text', (c) => c.primaryKey())
    .addColumn('lsoa_name', 'text', (c) => c.notNull())
    .addColumn('la_code', 'text', (c) => c.notNull())
    .addColumn('la_name', 'text', (c) => c.notNull())
  for (const domain of rankAndDecile) {
    table = table
      .addColumn(`${domain}_rank`, 'integer', (c) => c.check(sql`${sql.ref(`${domain}_rank`)} between 1 and 32844`))
      .addColumn(`${domain}_decile`, 'smallint', (c) => c.check(sql`${sql.ref(`${domain}_decile`)} between 1 and 10`))
  }
  for (const population of [
    'population_total',
    'population_children',
    'population_16_59',
    'population_60_plus',
    'population_working_age',
  ]) {
    table = table.addColumn(population, 'integer', (c) => c.check(sql`${sql.ref(population)} >= 0`))
  }
  await table.execute()
  await db.schema
    .createIndex('lsoa_deprivation_la_code_idx')
    .on('directory.lsoa_deprivation')
    .column('la_code')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory.lsoa_deprivation').execute()
  await db.schema.dropTable('directory.postcodes').execute()
}
