// Test helpers for the directory module's own tests (and other tests through this entry point).
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../../platform/index.ts'
import { createTestDatabase, truncateSchemas, type Dialect } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'

/**
 * A migrated test database for one describe block, with the directory's data emptied before each test. `use`
 * receives the database once it is open.
 */
export function useDirectoryDatabase(dialect: Dialect, use: (database: Database) => void): void {
  let database: Database | undefined
  beforeAll(async () => {
    database = await createTestDatabase(dialect, modules)
    use(database)
  })
  afterAll(async () => database?.close())
  beforeEach(async () => truncateSchemas(database!, ['directory']))
}

/** How many rows a table has. */
export async function countRows(database: Database, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)
  return rows[0]!.n
}

/** The id of the service a source lists under its own reference. */
export async function serviceIdOf(database: Database, source: string, ref: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select id from directory.services where source = ${source} and source_ref = ${ref}`.execute(database.db)
  return rows[0]!.id
}
