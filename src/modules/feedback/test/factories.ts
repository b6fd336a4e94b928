// Test helpers for the feedback module's tests (and other modules' tests through this entry point).
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { Database } from '../../../platform/index.ts'
import { createTestDatabase, truncateSchemas, type Dialect } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'

/** A migrated test database for one describe block, with feedback and the directory emptied before each test. */
export function useFeedbackDatabase(dialect: Dialect, use: (database: Database) => void): void {
  let database: Database | undefined
  beforeAll(async () => {
    database = await createTestDatabase(dialect, modules)
    use(database)
  })
  afterAll(async () => database?.close())
  beforeEach(async () => truncateSchemas(database!, ['feedback', 'directory']))
}
