import { sql } from 'kysely'
import type { AnyDb, ImportCounts, ImportRun, ImportSource, RecordResult } from '../../../platform/index.ts'
import { parseDate } from './provider-rows.ts'

/** One link as the GIAS links file gives it: what `linkedUrn` is to `urn` (`Successor`, `Predecessor - merged`…). */
export interface SchoolLinkRecord {
  urn: number
  linkedUrn: number
  linkType: string
  /** `YYYY-MM-DD`, or null: DfE leaves the date blank for about two links in five. */
  establishedOn: string | null
  linkedName: string
}

const URN = /^\d{6}$/

/**
 * One row of `links_edubasealldataYYYYMMDD.csv` (`URN`, `LinkURN`, `LinkName`, `LinkType`, `LinkEstablishedDate`).
 * Every link type is kept as DfE words it, including its typos ("changer in age range"): the provider page says
 * what DfE says. Windows-1252 (`à`, `°`) is detected and decoded by the import framework.
 */
export function giasLinkRecord(r: Record<string, string>): RecordResult<SchoolLinkRecord> {
  const urn = (r['URN'] ?? '').trim()
  const linkedUrn = (r['LinkURN'] ?? '').trim()
  const linkType = (r['LinkType'] ?? '').trim()
  const linkedName = (r['LinkName'] ?? '').trim()
  const established = (r['LinkEstablishedDate'] ?? '').trim()
  if (!URN.test(urn)) return { invalid: `"${urn}" is not a URN` }
  if (!URN.test(linkedUrn)) return { invalid: `"${linkedUrn}" in LinkURN is not a URN` }
  if (urn === linkedUrn) return { invalid: `school ${urn} is linked to itself` }
  if (!linkType) return { invalid: 'the link has no type' }
  if (!linkedName) return { invalid: 'the linked school has no name' }
  // GIAS writes dates dd-mm-yyyy; a blank date is common and kept as unknown.
  const date = /^\d{2}-\d{2}-\d{4}$/.test(established) ? parseDate(established) : null
  if (established && !date) return { invalid: `"${established}" in LinkEstablishedDate is not a date` }
  return {
    row: {
      urn: Number(urn),
      linkedUrn: Number(linkedUrn),
      linkType,
      establishedOn: date ? date.toISOString().slice(0, 10) : null,
      linkedName,
    },
  }
}

/**
 * Inserts new links and updates changed ones (a new date or name) in one statement, and counts which was which. An
 * unchanged link is not written (`where … is distinct from …`): its source file and import time stay as they were.
 * The batch travels as one array per column through `unnest`, as the DfE performance importers send theirs.
 */
export async function upsertSchoolLinks(
  db: AnyDb,
  links: readonly SchoolLinkRecord[],
  run: ImportRun,
): Promise<ImportCounts> {
  if (!links.length) return { inserted: 0, updated: 0, unchanged: 0 }
  const { rows: written } = await sql<{ inserted: boolean }>`
    insert into directory.school_links
      (urn, linked_urn, link_type, link_established_on, linked_name, source_file, imported_at)
    select urn, linked_urn, link_type, link_established_on, linked_name,
           ${run.fileName}, ${run.startedAt.toISOString()}::timestamptz
      from unnest(
        ${links.map((l) => l.urn)}::int4[],
        ${links.map((l) => l.linkedUrn)}::int4[],
        ${links.map((l) => l.linkType)}::text[],
        ${links.map((l) => l.establishedOn)}::date[],
        ${links.map((l) => l.linkedName)}::text[]
      ) as batch (urn, linked_urn, link_type, link_established_on, linked_name)
    on conflict (urn, linked_urn, link_type) do update
       set link_established_on = excluded.link_established_on,
           linked_name = excluded.linked_name,
           source_file = excluded.source_file,
           imported_at = excluded.imported_at
     where (school_links.link_established_on, school_links.linked_name)
           is distinct from (excluded.link_established_on, excluded.linked_name)
    returning (xmax = 0) as inserted`.execute(db)
  const inserted = written.filter((w) => w.inserted).length
  return { inserted, updated: written.length - inserted, unchanged: links.length - written.length }
}

/**
 * `openchoice import gias-links <file>`: GIAS predecessor and successor links. A link whose schools are not (yet) in
 * the directory is kept: the URN joins them whenever they arrive. A link a newer file no longer lists stays.
 */
export const giasLinksSource: ImportSource<SchoolLinkRecord> = {
  name: 'gias-links',
  description: 'DfE Get Information about Schools: links between schools (links_edubasealldataYYYYMMDD.csv)',
  layout: { kind: 'header', required: ['URN', 'LinkURN', 'LinkName', 'LinkType', 'LinkEstablishedDate'] },
  parse: giasLinkRecord,
  key: (l) => `${l.urn} ${l.linkedUrn} ${l.linkType}`,
  store: upsertSchoolLinks,
}
