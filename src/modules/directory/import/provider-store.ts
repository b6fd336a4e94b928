import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Kysely } from 'kysely'
import { moduleDb, type AnyDb, type ImportCounts, type ImportRun } from '../../../platform/index.ts'
import type { DirectoryTables, ServiceChangesTable } from '../tables.ts'
import { outcodeOf, type ProviderRecord } from './provider-rows.ts'

type Db = Kysely<DirectoryTables>

/** The fields whose changes a newer file records in a provider's change history. */
export const TRACKED = [
  'name',
  'status',
  'registration',
  'rating',
  'rating_date',
  'closed_on',
  'address',
  'postcode',
  'service_type',
  'places',
  'telephone',
  'opened_on',
  'rated_by',
  'town',
  'la_name',
] as const
export type Tracked = (typeof TRACKED)[number]
/** Of those, the ones a person would want to read about on the provider page; the rest are corrections. */
const HISTORY: readonly Tracked[] = ['name', 'status', 'registration', 'rating', 'rating_date', 'closed_on', 'address']

/**
 * The part one kind of file plays in the register it lists services in. Most registers are one file (GIAS,
 * epraccur): it carries every field and is the whole register. CQC publishes two files about the same locations,
 * each carrying some of the fields: each keeps its own fields up to date and leaves the others as they are.
 */
export interface SourceRole {
  /** `services.source`: the register its rows are listed in. */
  register: string
  /** The tracked fields it keeps up to date. A service it lists first starts with all it has, owned or not. */
  owns: readonly Tracked[]
  /** Whether it is the whole register, so a service it no longer lists is unlisted, and one it lists again relisted. */
  unlists: boolean
}

/** The role of a file that is its own register, as every source but CQC's is. */
export function wholeRegister(name: string): SourceRole {
  return { register: name, owns: TRACKED, unlists: true }
}

type Snapshot = Record<Tracked, string | null>

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

function snapshotOf(r: ProviderRecord): Snapshot {
  return {
    name: r.service.name,
    status: r.service.status,
    registration: r.registration.status,
    rating: r.registration.rating,
    rating_date: day(r.registration.ratingDate),
    closed_on: day(r.service.closedOn),
    address: r.location.address,
    postcode: r.location.postcode,
    service_type: r.service.serviceType,
    places: r.service.places === null ? null : String(r.service.places),
    telephone: r.service.telephone,
    opened_on: day(r.service.openedOn),
    rated_by: r.registration.ratedBy,
    town: r.location.town,
    la_name: r.location.laName,
  }
}

/**
 * What the database holds now for these references of a register, as snapshots comparable with a file's records.
 * Read table by table through their keys rather than as one join: inside an import's transaction the planner's
 * statistics are stale, and on PostgreSQL the join was once planned as nested sequential scans that ran for minutes.
 */
export async function currentSnapshots(db: Db, source: string, refs: string[]) {
  const services = await db
    .selectFrom('directory.services')
    .select(['id', 'source_ref', 'unlisted_at', 'name', 'status', 'service_type', 'telephone'])
    .select([
      sql<string | null>`to_char(closed_on, 'YYYY-MM-DD')`.as('closed_on'),
      sql<string | null>`places::text`.as('places'),
      sql<string | null>`to_char(opened_on, 'YYYY-MM-DD')`.as('opened_on'),
    ])
    .where('source', '=', source)
    .where('source_ref', 'in', refs)
    .execute()
  if (services.length === 0) return new Map<string, never>()
  const ids = services.map((s) => s.id)
  const registrations = await db
    .selectFrom('directory.registrations')
    .select(['service_id', 'status as registration', 'rating', 'rated_by'])
    .select(sql<string | null>`to_char(rating_date, 'YYYY-MM-DD')`.as('rating_date'))
    .where('service_id', 'in', ids)
    .execute()
  const links = await db
    .selectFrom('directory.service_at_locations')
    .select(['service_id', 'location_id'])
    .where('service_id', 'in', ids)
    .execute()
  const locations = links.length
    ? await db
        .selectFrom('directory.locations')
        .select(['id', 'address', 'postcode', 'town', 'la_name', 'latitude', 'longitude', 'precision'])
        .select(['la_code', 'lsoa_code', 'address_source'])
        .where(
          'id',
          'in',
          links.map((l) => l.location_id),
        )
        .execute()
    : []
  const registrationOf = new Map(registrations.map((r) => [r.service_id, r]))
  const locationOf = new Map(locations.map((l) => [l.id, l]))
  const locationIdOf = new Map(links.map((l) => [l.service_id, l.location_id]))
  // An imported service has exactly one location and one registration; a service without them is not compared.
  const snapshots = services.flatMap((s) => {
    const registration = registrationOf.get(s.id)
    const location = locationOf.get(locationIdOf.get(s.id) ?? '')
    if (!registration || !location) return []
    const { id: locationId, ...place } = location
    const { service_id: _, ...registered } = registration
    return [{ ...s, ...registered, ...place, location_id: locationId }]
  })
  return new Map(snapshots.map((r) => [r.source_ref, r]))
}

/** Organisations already known by one of these identifiers, so a company's second nursery joins its first. */
async function knownOrganisations(db: Db, records: ProviderRecord[]): Promise<Map<string, string>> {
  const pairs = [
    ...new Set(records.map((r) => `${r.organisation.identifier.scheme}\u0000${r.organisation.identifier.value}`)),
  ]
  if (pairs.length === 0) return new Map()
  const rows = await db
    .selectFrom('directory.organisation_identifiers')
    .select(['organisation_id', 'scheme', 'value'])
    .where((eb) =>
      eb.or(
        pairs.map((p) => {
          const [scheme, value] = p.split('\u0000') as [string, string]
          return eb.and([eb('scheme', '=', scheme), eb('value', '=', value)])
        }),
      ),
    )
    .execute()
  return new Map(rows.map((r) => [`${r.scheme}\u0000${r.value}`, r.organisation_id]))
}

/** Where a location is: exact from the ONS Postcode Directory when it has the postcode, else its district's centre. */
export interface Place {
  latitude: number | null
  longitude: number | null
  precision: 'exact' | 'outcode' | null
  la_code: string | null
  lsoa_code: string | null
}

/** Looks up these postcodes (and their districts) once, and returns where each of them places a location. */
export async function placesFor(
  db: Db,
  wanted: readonly (string | null)[],
): Promise<(postcode: string | null) => Place> {
  const postcodes = [...new Set(wanted.flatMap((p) => p ?? []))]
  const outcodes = [...new Set(wanted.flatMap((p) => outcodeOf(p) ?? []))]
  const exact = postcodes.length
    ? await db
        .selectFrom('directory.postcodes')
        .select(['postcode', 'latitude', 'longitude', 'la_code', 'lsoa11_code'])
        .where('postcode', 'in', postcodes)
        .execute()
    : []
  const centroids = outcodes.length
    ? await db
        .selectFrom('directory.outcodes')
        .select(['outcode', 'latitude', 'longitude'])
        .where('outcode', 'in', outcodes)
        .execute()
    : []
  const byPostcode = new Map(exact.map((p) => [p.postcode, p]))
  const byOutcode = new Map(centroids.map((c) => [c.outcode, c]))
  return (postcode) => {
    const p = byPostcode.get(postcode ?? '')
    const known = { la_code: p?.la_code ?? null, lsoa_code: p?.lsoa11_code ?? null }
    if (p?.latitude != null && p.longitude != null) {
      return { latitude: p.latitude, longitude: p.longitude, precision: 'exact', ...known }
    }
    const c = byOutcode.get(outcodeOf(postcode) ?? '')
    return c
      ? { latitude: c.latitude, longitude: c.longitude, precision: 'outcode', ...known }
      : { latitude: null, longitude: null, precision: null, ...known }
  }
}

/** The run this import is, recorded once so services and changes can say which file told us. */
export async function importRunId(db: AnyDb, run: ImportRun): Promise<string> {
  const d = moduleDb<DirectoryTables>(db)
  const found = await d
    .selectFrom('directory.import_runs')
    .select('id')
    .where('source', '=', run.source)
    .where('file_sha256', '=', run.fileSha256)
    .where('started_at', '=', run.startedAt)
    .executeTakeFirst()
  if (found) return found.id
  const row = await d
    .insertInto('directory.import_runs')
    .values({ source: run.source, file_name: run.fileName, file_sha256: run.fileSha256, started_at: run.startedAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Where a location's postcode places it (a `Place`), compared so a newer postcode directory can move it. */
export const PLACE_COLUMNS = ['latitude', 'longitude', 'precision', 'la_code', 'lsoa_code'] as const
/**
 * The field each of the location's other columns belongs to: its postcode decides the place, and the address's
 * source goes with the address. They are kept up to date by the file that owns that field.
 */
const LOCATION_FIELDS = {
  ...(Object.fromEntries(['outcode', ...PLACE_COLUMNS].map((c) => [c, 'postcode'])) as Record<
    'outcode' | (typeof PLACE_COLUMNS)[number],
    'postcode'
  >),
  address_source: 'address',
} as const

/**
 * Stores a batch of providers from one source: new ones are listed, changed ones updated with what changed kept
 * in their history, and unchanged ones not written at all (so importing the same file again changes nothing).
 * Only the fields the source owns are compared and updated; the others are left as another file set them.
 * Locations are placed exactly when the ONS Postcode Directory knows the postcode, else at the district's centre.
 */
export async function storeProviders(
  trx: AnyDb,
  records: ProviderRecord[],
  run: ImportRun,
  role: SourceRole,
): Promise<ImportCounts> {
  const db = moduleDb<DirectoryTables>(trx)
  const current = await currentSnapshots(
    db,
    role.register,
    records.map((r) => r.sourceRef),
  )
  const organisations = await knownOrganisations(db, records)
  const place = await placesFor(
    db,
    records.map((r) => r.location.postcode),
  )
  // The run is recorded only when this batch changes something: a file imported again leaves no trace.
  type Current = NonNullable<ReturnType<typeof current.get>>
  // A newer postcode directory can place a provider more exactly without its regulator's file changing; and the
  // same address can come from another source (GIAS now gives the address DfE's KS5 file gave).
  const moved = (now: Current, r: ProviderRecord) => {
    const p = place(r.location.postcode)
    return (
      (role.owns.includes('postcode') && PLACE_COLUMNS.some((k) => now[k] !== p[k])) ||
      (role.owns.includes('address') && now.address_source !== addressSourceOf(r, role))
    )
  }
  const differs = (now: Current, r: ProviderRecord) => {
    const next = snapshotOf(r)
    return role.owns.filter((f) => (now[f] ?? null) !== next[f])
  }
  const relists = (now: Current) => role.unlists && now.unlisted_at !== null
  const changed = records.some((r) => {
    const now = current.get(r.sourceRef)
    return !now || relists(now) || differs(now, r).length > 0 || moved(now, r)
  })
  const runId = changed ? await importRunId(trx, run) : ''
  const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 }
  const changes: Insertable<ServiceChangesTable>[] = []

  const fresh = records.filter((r) => !current.has(r.sourceRef))
  if (fresh.length) {
    const orgs: { id: string; name: string; sector: ProviderRecord['organisation']['sector'] }[] = []
    const identifiers: { organisation_id: string; scheme: string; value: string }[] = []
    const rows = fresh.map((r) => {
      const key = `${r.organisation.identifier.scheme}\u0000${r.organisation.identifier.value}`
      let organisationId = organisations.get(key)
      if (!organisationId) {
        organisationId = randomUUID()
        organisations.set(key, organisationId)
        orgs.push({ id: organisationId, name: r.organisation.name, sector: r.organisation.sector })
        identifiers.push({ organisation_id: organisationId, ...r.organisation.identifier })
      }
      return { r, organisationId, serviceId: randomUUID(), locationId: randomUUID() }
    })
    if (orgs.length) await db.insertInto('directory.organisations').values(orgs).execute()
    if (identifiers.length) await db.insertInto('directory.organisation_identifiers').values(identifiers).execute()
    await db
      .insertInto('directory.locations')
      .values(rows.map(({ r, locationId }) => ({ id: locationId, ...locationValues(r, place, role) })))
      .execute()
    await db
      .insertInto('directory.services')
      .values(
        rows.map(({ r, organisationId, serviceId }) => ({
          id: serviceId,
          organisation_id: organisationId,
          source: role.register,
          source_ref: r.sourceRef,
          framework: r.service.framework,
          ...serviceValues(r),
          ...serviceProvenance(run, runId),
        })),
      )
      .execute()
    await db
      .insertInto('directory.service_at_locations')
      .values(rows.map(({ serviceId, locationId }) => ({ service_id: serviceId, location_id: locationId })))
      .execute()
    await db
      .insertInto('directory.registrations')
      .values(
        rows.map(({ r, serviceId }) => ({
          service_id: serviceId,
          regulator: r.registration.regulator,
          regulator_ref: r.registration.regulatorRef,
          ...registrationValues(r),
          ...provenance(run, runId),
        })),
      )
      .execute()
    for (const { serviceId } of rows) changes.push(change(serviceId, runId, run, 'listed'))
    counts.inserted = fresh.length
  }

  for (const r of records) {
    const now = current.get(r.sourceRef)
    if (!now) continue
    const next = snapshotOf(r)
    const fields = differs(now, r)
    const relisted = relists(now)
    if (!fields.length && !relisted && !moved(now, r)) {
      counts.unchanged++
      continue
    }
    counts.updated++
    if (relisted) changes.push(change(now.id, runId, run, 'listed'))
    for (const f of fields.filter((f) => HISTORY.includes(f))) {
      changes.push({
        ...change(now.id, runId, run, 'updated'),
        field: f,
        old_value: now[f] ?? null,
        new_value: next[f],
      })
    }
    await db
      .updateTable('directory.services')
      .set({
        ...ownedColumns(role, serviceValues(r), {}),
        ...serviceProvenance(run, runId),
        ...(relisted ? { unlisted_at: null } : {}),
      })
      .where('id', '=', now.id)
      .execute()
    await db
      .updateTable('directory.registrations')
      .set({ ...ownedColumns(role, registrationValues(r), { status: 'registration' }), ...provenance(run, runId) })
      .where('service_id', '=', now.id)
      .execute()
    const location = ownedColumns(role, locationValues(r, place, role), LOCATION_FIELDS)
    if (Object.keys(location).length) {
      await db.updateTable('directory.locations').set(location).where('id', '=', now.location_id).execute()
    }
  }
  if (changes.length) await db.insertInto('directory.service_changes').values(changes).execute()
  return counts
}

/** Every record of a batch is of its file's register: one listed elsewhere could never be found again. */
/**
 * The columns of a tracked field the role owns. A column is its field's namesake unless `fieldOf` says otherwise;
 * it must name every column that is not, so that no column is left out by mistake.
 */
function ownedColumns<T extends object>(
  role: SourceRole,
  values: T,
  fieldOf: Record<Exclude<keyof T, Tracked>, Tracked> & Partial<Record<keyof T, Tracked>>,
): Partial<T> {
  const fieldOfColumn = fieldOf as Partial<Record<string, Tracked>>
  return Object.fromEntries(
    Object.entries(values).filter(([column]) => role.owns.includes(fieldOfColumn[column] ?? (column as Tracked))),
  ) as Partial<T>
}

/** The service's tracked columns, as a regulator's file sets them. */
function serviceValues(r: ProviderRecord) {
  return {
    name: r.service.name,
    service_type: r.service.serviceType,
    status: r.service.status,
    places: r.service.places,
    telephone: r.service.telephone,
    opened_on: r.service.openedOn,
    closed_on: r.service.closedOn,
  }
}

/** The registration's tracked columns; its `status` is the field `registration`. */
function registrationValues(r: ProviderRecord) {
  return {
    status: r.registration.status,
    rating: r.registration.rating,
    rating_date: r.registration.ratingDate,
    rated_by: r.registration.ratedBy,
  }
}

/** The source of a record's address: its own file's register, unless another source gave it. */
function addressSourceOf(r: ProviderRecord, role: SourceRole): string {
  return r.location.givenBy ?? role.register
}

/** An address, the source that gave it, and where its postcode places it. */
export function addressColumns(
  a: { address: string; town: string | null; postcode: string | null },
  place: (postcode: string | null) => Place,
  source: string,
) {
  return {
    address: a.address,
    town: a.town,
    postcode: a.postcode,
    outcode: outcodeOf(a.postcode),
    address_source: source,
    ...place(a.postcode),
  }
}

/** The location's columns as a record gives them. */
function locationValues(r: ProviderRecord, place: (postcode: string | null) => Place, role: SourceRole) {
  return { ...addressColumns(r.location, place, addressSourceOf(r, role)), la_name: r.location.laName }
}

/** Which file, and which run, last wrote a row. */
function provenance(run: ImportRun, runId: string) {
  return { source_file: run.fileName, import_run_id: runId }
}

function serviceProvenance(run: ImportRun, runId: string) {
  return { ...provenance(run, runId), imported_at: run.startedAt }
}

/** An entry of a service's change history (for an update, the caller adds the field and its old and new values). */
export function change(serviceId: string, runId: string, run: ImportRun, kind: 'listed' | 'updated' | 'unlisted') {
  return {
    service_id: serviceId,
    import_run_id: runId,
    changed_at: run.startedAt,
    change: kind,
    field: null,
    old_value: null,
    new_value: null,
  }
}

/**
 * After a whole file: the services of its register that it no longer lists are marked unlisted (kept, with the
 * change in their history, and no longer offered), since a newer file that drops a provider is news in itself.
 */
export async function unlistMissing(
  trx: AnyDb,
  run: ImportRun,
  register: string,
  refs: ReadonlySet<string>,
): Promise<number> {
  const db = moduleDb<DirectoryTables>(trx)
  await sql`create temporary table import_seen_refs (ref text primary key) on commit drop`.execute(trx)
  const all = [...refs]
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000)
    await sql`insert into import_seen_refs (ref) values ${sql.join(chunk.map((ref) => sql`(${ref})`))}`.execute(trx)
  }
  const gone = await db
    .updateTable('directory.services as s')
    .set({ unlisted_at: run.startedAt })
    .where('s.source', '=', register)
    .where('s.unlisted_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom(sql`import_seen_refs`.as('seen'))
            .select(sql`1`.as('one'))
            .where(sql.ref('seen.ref'), '=', sql.ref('s.source_ref')),
        ),
      ),
    )
    .returning('s.id')
    .execute()
  if (gone.length) {
    const runId = await importRunId(trx, run)
    await db
      .insertInto('directory.service_changes')
      .values(gone.map((g) => change(g.id, runId, run, 'unlisted')))
      .execute()
  }
  return gone.length
}
