import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase, type Database } from '../db.ts'
import { migrateToLatest } from '../migrate.ts'
import type { ModuleManifest } from '../module.ts'

export type Dialect = 'pglite' | 'postgres'

/** The databases every DB and route test runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export function testDialects(): Dialect[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

/**
 * A fresh, migrated database: PGlite in memory, or a new throwaway database on the TEST_DATABASE_URL server
 * (dropped again by `close`), so test files never see each other's rows.
 */
export async function createTestDatabase(dialect: Dialect, modules: ModuleManifest[]): Promise<Database> {
  if (dialect === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: 'memory' })
    await migrateToLatest(database.db, modules)
    return database
  }
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `openchoice_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: url.toString() })
  await migrateToLatest(database.db, modules)
  return {
    ...database,
    async close() {
      await database.close()
      const drop = new pg.Client({ connectionString: serverUrl })
      await drop.connect()
      await drop.query(`drop database if exists ${name} with (force)`)
      await drop.end()
    },
  }
}

/** Empties every table of the given schemas (between tests that share one database). */
export async function truncateSchemas(database: Database, schemas: string[]): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
      from information_schema.tables
     where table_schema = any(${schemas}) and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(
    database.db,
  )
  if (rows.length) await sql.raw(`truncate ${rows.map((r) => r.name).join(', ')} cascade`).execute(database.db)
}
