import { sql } from 'kysely'
import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { DirectoryTables } from './tables.ts'

/** A school's predecessor, successor or other linked school, for its provider page. */
export interface SchoolLink {
  linkedUrn: number
  /** The linked school's name as DfE's links file gives it (it may be closed and not in the directory). */
  linkedName: string
  /** What the linked school is to this one, in DfE's words: `Successor`, `Predecessor - merged`, … */
  linkType: string
  establishedOn: Date | null
  /** The linked school's provider page, when the directory holds it (from GIAS). */
  providerId: string | null
}

/** The schools DfE links to this one (by URN), newest link first; links with no date come last. */
export async function schoolLinks(db: AnyDb, urn: number): Promise<SchoolLink[]> {
  if (!Number.isSafeInteger(urn)) return []
  const rows = await moduleDb<DirectoryTables>(db)
    .selectFrom('directory.school_links as l')
    .leftJoin('directory.services as s', (join) =>
      join.on('s.source', '=', 'gias').on('s.source_ref', '=', sql<string>`l.linked_urn::text`),
    )
    .select(['l.linked_urn', 'l.linked_name', 'l.link_type', 's.id as provider_id'])
    .select(sql<string | null>`to_char(l.link_established_on, 'YYYY-MM-DD')`.as('established_on'))
    .where('l.urn', '=', urn)
    .orderBy(sql`l.link_established_on desc nulls last`)
    .orderBy('l.linked_urn')
    .orderBy('l.link_type')
    .execute()
  return rows.map((r) => ({
    linkedUrn: r.linked_urn,
    linkedName: r.linked_name,
    linkType: r.link_type,
    establishedOn: r.established_on ? new Date(`${r.established_on}T00:00:00Z`) : null,
    providerId: r.provider_id,
  }))
}
