import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { migrateToLatest, type Database, type ModuleManifest } from '../../../platform/index.ts'
import { createTestDatabase, testDialects } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'
import { findProviderById } from '../index.ts'

/** The app as it was before the service model: only migrations named up to the first directory table. */
function asBefore(all: ModuleManifest[]): ModuleManifest[] {
  return all.map((m) => ({
    ...m,
    migrations: Object.fromEntries(Object.entries(m.migrations).filter(([name]) => name <= '2026_11_23_1110_z')),
  }))
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase(dialect, asBefore(modules))
  })
  afterAll(async () => database?.close())

  it('moves every flat provider row into the service model, keeping its id', async () => {
    // A real GP practice as the first demo loader stored it (NHS ODS epraccur, A81001).
    const { rows } = await sql<{ id: string }>`
      insert into directory.providers (source, source_ref, name, framework, provider_type, address, town, postcode,
        outcode, latitude, longitude, location_precision, status, source_file)
      values ('ods-epraccur', 'A81001', 'The Densham Surgery', 'nhs-care', 'GP practice',
        'The Health Centre, Lawson Street', 'Cleveland', 'TS18 1HU', 'TS18', 54.56, -1.31, 'outcode', 'open',
        'epraccur_2024-01_Y56_Y62_Y63_W00.csv')
      returning id`.execute(database.db)
    const id = rows[0]!.id
    await migrateToLatest(database.db, modules)

    const p = await findProviderById(database.db, id)
    expect(p).toMatchObject({
      id,
      name: 'The Densham Surgery',
      status: 'active',
      organisation: { id, name: 'The Densham Surgery' },
      registration: { regulator: 'nhs-ods', ref: 'A81001', status: 'registered' },
      postcode: 'TS18 1HU',
      location: { precision: 'outcode', latitude: 54.56 },
    })
    const old = await sql`select to_regclass('directory.providers') as t`.execute(database.db)
    expect(old.rows).toEqual([{ t: null }])
  })
})
