import { moduleDb, type AnyDb } from '../../../platform/index.ts'
import type { DirectoryTables } from '../tables.ts'
import { selectDownloadBatch, type DownloadRow } from './oruk.queries.ts'
import { orgIdScheme } from './oruk.mappers.ts'
import { ATTRIBUTION, LICENCE, LICENCE_PATH, SOURCES, licenceStatement } from './open-data.licence.ts'

// The whole listed directory as open data: one record per service at a location, read in keyset batches and
// written out as they arrive, so a national file is never held in memory (nor a transaction held open).

/** Rows per query: large enough to keep the number of round trips low, small enough to stream smoothly. */
const BATCH = 1000

type Value = string | number | null

interface Column {
  name: string
  description: string
  /** Text (as opposed to numbers): guarded against spreadsheet formulas in the CSV. */
  text: boolean
  value: (row: DownloadRow, identifiers: string) => Value
}

const text = (name: string, description: string, value: Column['value']): Column => ({
  name,
  description,
  text: true,
  value,
})
const number = (name: string, description: string, value: Column['value']): Column => ({
  name,
  description,
  text: false,
  value,
})

/** The columns of both downloads, in order. */
export const COLUMNS: readonly Column[] = [
  text(
    'service_at_location_id',
    'OpenChoice id of the service at this location (as /api/oruk/)',
    (r) => r.service_at_location_id,
  ),
  text('service_id', 'OpenChoice id of the service (as /api/oruk/services/{id})', (r) => r.service_id),
  text('location_id', 'OpenChoice id of the location', (r) => r.location_id),
  text('name', "The service's name, as its regulator publishes it", (r) => r.name),
  text('organisation_id', 'OpenChoice id of the organisation that runs the service', (r) => r.organisation_id),
  text('organisation_name', 'The organisation that runs the service', (r) => r.organisation_name),
  text(
    'organisation_identifiers',
    'Its published identifiers, as scheme:value separated by semicolons (GB-NHS: ODS code; GB-EDU: URN)',
    (_r, ids) => ids,
  ),
  text(
    'framework',
    'Choice Framework: nhs-care, social-housing, social-care, education or early-education',
    (r) => r.framework,
  ),
  text('service_type', 'Type of provider, as the source names it', (r) => r.service_type),
  text('status', 'Open Referral UK service status: active, inactive, defunct or temporarily closed', (r) => r.status),
  text(
    'registration_status',
    "The regulator's registration: registered, suspended, cancelled, proposed or not-required",
    (r) => r.registration_status,
  ),
  text('regulator', 'Who registers the service: nhs-ods, ofsted, dfe, cqc, rsh', (r) => r.regulator),
  text('regulator_ref', "The service's reference with its regulator (ODS code, URN)", (r) => r.regulator_ref),
  text('rating', "The latest overall rating, in the rater's words", (r) => r.rating),
  text('rated_by', 'Who gave the rating (Ofsted rates schools that DfE registers)', (r) => r.rated_by),
  text('rating_date', 'Date of the rating (YYYY-MM-DD)', (r) => r.rating_date),
  text('address', 'Address, as the source gives it (without the postcode)', (r) => r.address),
  text('town', 'Town', (r) => r.town),
  text('postcode', 'Postcode', (r) => r.postcode),
  text('local_authority', 'Local authority, where the source gives it', (r) => r.la_name),
  number('latitude', 'Latitude (WGS84)', (r) => r.latitude),
  number('longitude', 'Longitude (WGS84)', (r) => r.longitude),
  text(
    'coordinate_precision',
    'exact: the postcode point (ONS Postcode Directory); outcode: the centre of the postcode district, approximate',
    (r) => (r.latitude === null ? null : r.precision),
  ),
  text('source', 'The data set the row comes from: ods-epraccur, ofsted-childcare, gias, cqc', (r) => r.source),
  text('source_ref', "The row's reference in that data set", (r) => r.source_ref),
  text('source_file', 'The file it was last imported from', (r) => r.source_file),
  text('last_modified', 'When an import last changed the row (ISO 8601)', (r) => r.imported_at.toISOString()),
]

/**
 * The listed directory, a batch of rows at a time, each with its organisation's identifiers in words. The next
 * batch is asked for while the current one is written out, so the database and the network overlap.
 */
async function* directoryBatches(db: AnyDb): AsyncGenerator<{ row: DownloadRow; identifiers: string }[]> {
  const d = moduleDb<DirectoryTables>(db)
  const fetchAfter = (id: string | null) => {
    const batch = selectDownloadBatch(d, id, BATCH)
    batch.catch(() => undefined) // a download abandoned mid-way leaves its prefetch unawaited: not a crash
    return batch
  }
  let next: Promise<DownloadRow[]> | null = fetchAfter(null)
  while (next) {
    const rows: DownloadRow[] = await next
    const last = rows.length === BATCH ? rows[rows.length - 1]!.service_at_location_id : null
    next = last ? fetchAfter(last) : null
    if (rows.length) yield rows.map((row) => ({ row, identifiers: identifierText(row.identifiers) }))
  }
}

function identifierText(ids: { scheme: string; value: string }[]): string {
  return ids.map((i) => `${orgIdScheme(i.scheme) ?? i.scheme}:${i.value}`).join('; ')
}

/** RFC 4180 quoting; text that a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote mark. */
export function csvField(value: Value, isText: boolean): string {
  if (value === null) return ''
  let s = String(value)
  if (isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** The CSV download: a header row, then one line per service at a location (CRLF line ends, per RFC 4180). */
export async function* directoryCsv(db: AnyDb): AsyncGenerator<string> {
  yield COLUMNS.map((c) => c.name).join(',') + '\r\n'
  for await (const batch of directoryBatches(db)) {
    yield batch
      .map(({ row, identifiers }) => COLUMNS.map((c) => csvField(c.value(row, identifiers), c.text)).join(',') + '\r\n')
      .join('')
  }
}

/** The JSON download: the licence, attribution, sources and columns as fields, then `records`, streamed. */
export async function* directoryJson(db: AnyDb, generatedAt: Date): AsyncGenerator<string> {
  const head = {
    title: 'OpenChoice directory of providers',
    description: 'Every provider listed in OpenChoice: one record per service at a location.',
    generated_at: generatedAt.toISOString(),
    licence: LICENCE,
    attribution: ATTRIBUTION,
    licence_statement: LICENCE_PATH,
    sources: SOURCES,
    columns: COLUMNS.map((c) => ({ name: c.name, description: c.description })),
  }
  const opening = JSON.stringify(head, null, 2)
  yield opening.slice(0, -2) + ',\n  "records": ['
  let written = 0
  for await (const batch of directoryBatches(db)) {
    let chunk = ''
    for (const { row, identifiers } of batch) {
      const record = Object.fromEntries(COLUMNS.map((c) => [c.name, c.value(row, identifiers)]))
      chunk += (written++ === 0 ? '\n    ' : ',\n    ') + JSON.stringify(record)
    }
    yield chunk
  }
  yield written ? '\n  ]\n}\n' : ']\n}\n'
}

/** The licence and attribution statement that accompanies the downloads (linked from the CSV). */
export function directoryLicence(): string {
  return licenceStatement(COLUMNS)
}
