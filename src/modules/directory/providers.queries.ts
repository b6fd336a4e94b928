import { sql, type Kysely } from 'kysely'
import type { DirectoryTables, ProviderRow } from './tables.ts'
import type { ChoiceFramework } from './frameworks.ts'

export interface ProviderFilter {
  framework?: ChoiceFramework | undefined
  /** Words that must all appear in the name (case-insensitive). */
  nameWords?: string[]
  openOnly?: boolean
}

function filtered(db: Kysely<DirectoryTables>, f: ProviderFilter) {
  let q = db.selectFrom('directory.providers')
  if (f.framework) q = q.where('framework', '=', f.framework)
  if (f.openOnly) q = q.where('status', '=', 'open')
  for (const word of f.nameWords ?? []) q = q.where('name', 'ilike', `%${word.replace(/[\\%_]/g, '\\$&')}%`)
  return q
}

export async function selectProviders(
  db: Kysely<DirectoryTables>,
  f: ProviderFilter,
  limit: number,
  offset: number,
): Promise<ProviderRow[]> {
  return filtered(db, f).selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute()
}

export async function countProviders(db: Kysely<DirectoryTables>, f: ProviderFilter): Promise<number> {
  const row = await filtered(db, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export async function selectProviderById(db: Kysely<DirectoryTables>, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('directory.providers').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function countOpenProvidersByFramework(
  db: Kysely<DirectoryTables>,
): Promise<{ framework: ChoiceFramework; n: number }[]> {
  return db
    .selectFrom('directory.providers')
    .select(['framework', sql<number>`count(*)::int`.as('n')])
    .where('status', '=', 'open')
    .groupBy('framework')
    .execute()
}
