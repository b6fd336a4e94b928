import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type Dialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { DatabaseTarget } from './config.ts'

/** The untyped handle the platform holds; each module narrows it to its own tables with `moduleDb`. */
export type AnyDb = Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Database {
  db: AnyDb
  kind: DatabaseTarget['kind']
  /** Where the data lives, safe to log (no credentials). */
  description: string
  close(): Promise<void>
}

// Postgres bigint (int8) and numeric come back as strings by default; counts and pence fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

/** Opens PostgreSQL (DATABASE_URL) or the embedded PGlite database, behind the same Kysely API. */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { onIdleClientError?: (err: Error) => void } = {},
): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 })
    // An idle pooled connection the server closes (restart, failover, admin shutdown) emits 'error' on the pool;
    // unhandled, that would crash the process. pg drops the client, and the next query opens a new one.
    pool.on('error', (err) => opts.onIdleClientError?.(err))
    const url = new URL(target.url)
    const db: AnyDb = new Kysely({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      kind: 'postgres',
      description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => db.destroy(),
    }
  }
  const pglite = await openPglite(target.dataDir)
  const db: AnyDb = new Kysely({ dialect: new PGliteDialect(pglite) as Dialect })
  const description = target.dataDir === 'memory' ? 'PGlite in memory' : `PGlite in ${resolve(target.dataDir)}`
  return { db, kind: 'pglite', description, close: () => db.destroy() }
}

async function openPglite(dataDir: string): Promise<PGlite> {
  if (dataDir === 'memory') return PGlite.create({ parsers: { 20: (v: string) => Number(v) } })
  mkdirSync(dataDir, { recursive: true })
  return PGlite.create({ dataDir: resolve(dataDir, 'pgdata'), parsers: { 20: (v: string) => Number(v) } })
}

/** Narrows the shared handle to one module's tables, so a query on another module's table fails to compile. */
export function moduleDb<Tables>(db: AnyDb): Kysely<Tables> {
  return db as Kysely<Tables>
}
