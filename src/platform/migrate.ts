import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { AnyDb } from './db.ts'
import type { ModuleManifest } from './module.ts'

const MIGRATION_NAME = /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/

/** Merges every module's migrations into one list ordered by name (a global timestamp prefix). */
export class ModuleMigrationProvider implements MigrationProvider {
  constructor(private readonly modules: ModuleManifest[]) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return mergeMigrations(this.modules)
  }
}

export function mergeMigrations(modules: ModuleManifest[]): Record<string, Migration> {
  const all: Record<string, Migration> = {}
  for (const m of modules) {
    for (const [name, migration] of Object.entries(m.migrations)) {
      if (!MIGRATION_NAME.test(name))
        throw new Error(`Migration name "${name}" in ${m.name} must look like 2026_01_31_0900_${m.name}_what`)
      if (!name.includes(`_${m.name}_`)) throw new Error(`Migration "${name}" must name its module "${m.name}"`)
      if (all[name]) throw new Error(`Two migrations are called "${name}"`)
      all[name] = migration
    }
  }
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)))
}

/** Runs every pending migration; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: AnyDb, modules: ModuleManifest[]): Promise<MigrationResultSet> {
  await sql`create schema if not exists platform`.execute(db)
  const migrator = new Migrator({
    db,
    provider: new ModuleMigrationProvider(modules),
    migrationTableSchema: 'platform',
  })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const reason = result.error instanceof Error ? result.error.message : String(result.error)
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, { cause: result.error })
  }
  return result
}
