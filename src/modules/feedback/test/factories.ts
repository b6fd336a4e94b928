// Test helpers for the feedback module's tests (and other modules' tests through this entry point).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { paths, runImport, type Database } from '../../../platform/index.ts'
import { createTestDatabase, truncateSchemas, type Dialect } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'
import { serviceIdOf } from '../../directory/test/factories.ts'

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

const EPRACCUR = join(paths.data, 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv')

/**
 * Lists GP practices in the directory through its own importer, from the real epraccur rows with these ODS codes,
 * and returns each practice's service id by code.
 */
export async function importPractices(database: Database, codes: string[]): Promise<Record<string, string>> {
  const source = modules.flatMap((m) => m.importSources ?? []).find((s) => s.name === 'ods-epraccur')!
  const rows = readFileSync(EPRACCUR, 'latin1')
    .split(/\r?\n/)
    .filter((line) => codes.some((code) => line.startsWith(`"${code}"`)))
  const dir = mkdtempSync(join(tmpdir(), 'openchoice-feedback-'))
  try {
    const file = join(dir, 'epraccur.csv')
    writeFileSync(file, rows.join('\r\n') + '\r\n', 'latin1')
    await runImport(database.db, source, file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return Object.fromEntries(
    await Promise.all(codes.map(async (c) => [c, await serviceIdOf(database, 'ods-epraccur', c)])),
  )
}
