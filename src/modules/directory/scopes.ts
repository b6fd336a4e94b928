import { moduleDb, type AnyDb, type ScopeType } from '../../platform/index.ts'
import type { DirectoryTables } from './tables.ts'

/** The regulators whose registrations the directory records, by the code a regulator scope is held in. */
export const REGULATORS: Readonly<Record<string, string>> = {
  cqc: 'Care Quality Commission',
  ofsted: 'Ofsted',
  rsh: 'Regulator of Social Housing',
  dfe: 'Department for Education',
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Provider staff are scoped to one organisation. An administrator names it by the regulator's own reference
 * (an ODS code, a URN) or by its id in this directory; a reference shared by two sources is refused as ambiguous.
 */
export const organisationScope: ScopeType = {
  name: 'organisation',
  async resolve(db: AnyDb, input: string) {
    const q = moduleDb<DirectoryTables>(db).selectFrom('directory.providers').select(['id', 'name'])
    const rows = UUID.test(input)
      ? await q.where('id', '=', input.toLowerCase()).execute()
      : await q.where('source_ref', '=', input.trim().toUpperCase()).limit(2).execute()
    return rows.length === 1 ? { id: rows[0]!.id, label: rows[0]!.name } : null
  },
  async label(db: AnyDb, id: string) {
    if (!UUID.test(id)) return null
    const row = await moduleDb<DirectoryTables>(db)
      .selectFrom('directory.providers')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst()
    return row?.name ?? null
  },
}

/** Regulator staff are scoped to their regulator. */
export const regulatorScope: ScopeType = {
  name: 'regulator',
  async resolve(_db: AnyDb, input: string) {
    const code = input.trim().toLowerCase()
    return REGULATORS[code] ? { id: code, label: REGULATORS[code] } : null
  },
  async label(_db: AnyDb, id: string) {
    return REGULATORS[id] ?? null
  },
}
