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
 * Provider staff are scoped to one organisation. An administrator names it by a published identifier (an ODS code,
 * a URN, an Ofsted URN), by the reference of one of its services, or by its id in this directory; a reference that
 * could mean two organisations is refused as ambiguous.
 */
export const organisationScope: ScopeType = {
  name: 'organisation',
  async resolve(db: AnyDb, input: string) {
    const d = moduleDb<DirectoryTables>(db)
    const text = input.trim()
    const rows = UUID.test(text)
      ? await d
          .selectFrom('directory.organisations')
          .select(['id', 'name'])
          .where('id', '=', text.toLowerCase())
          .execute()
      : await d
          .selectFrom('directory.organisations as o')
          .select(['o.id', 'o.name'])
          .where((eb) =>
            eb.or([
              eb.exists(
                eb
                  .selectFrom('directory.organisation_identifiers as i')
                  .select('i.value')
                  .whereRef('i.organisation_id', '=', 'o.id')
                  .where('i.value', '=', text.toUpperCase()),
              ),
              eb.exists(
                eb
                  .selectFrom('directory.services as s')
                  .select('s.id')
                  .whereRef('s.organisation_id', '=', 'o.id')
                  .where('s.source_ref', '=', text.toUpperCase()),
              ),
            ]),
          )
          .limit(2)
          .execute()
    return rows.length === 1 ? { id: rows[0]!.id, label: rows[0]!.name } : null
  },
  async label(db: AnyDb, id: string) {
    if (!UUID.test(id)) return null
    const row = await moduleDb<DirectoryTables>(db)
      .selectFrom('directory.organisations')
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
