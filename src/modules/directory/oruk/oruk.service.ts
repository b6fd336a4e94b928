import { moduleDb, type AnyDb } from '../../../platform/index.ts'
import { isOutcode, locatePostcode } from '../geography/index.ts'
import type { DirectoryTables } from '../tables.ts'
import { cachedForDirectory } from '../directory-cache.ts'
import {
  toFullService,
  toLocation,
  toOrukTaxonomy,
  toOrukTerm,
  toPage,
  toServiceSummary,
  type OrukPage,
  type OrukService,
  type OrukServiceAtLocation,
  type OrukServiceSummary,
  type OrukTaxonomy,
  type OrukTaxonomyTerm,
} from './oruk.mappers.ts'
import {
  countServiceAtLocations,
  countServices,
  selectIdentifiersOf,
  selectLocationsOf,
  selectOutcodeCentre,
  selectServiceAtLocationById,
  selectServiceAtLocationPage,
  selectServiceById,
  selectServicePage,
  selectTaxonomyValues,
  type Near,
  type OrukFilter,
  type TermCondition,
} from './oruk.queries.ts'
import { isUuid, type PageParams, type ServiceAtLocationsQuery, type ServicesQuery } from './oruk.schema.ts'
import { buildTerms, findTaxonomy, listTaxonomies, type TaxonomyTerm } from './oruk.taxonomy.ts'
import { LICENCE, ATTRIBUTION } from './open-data.licence.ts'

/** The exact profile this API implements: Open Referral UK, commit ecdfabf (2024-10-10). */
const PROFILE_COMMIT = 'ecdfabf78944d480d7f580d08b702b08cbec4b09'

/** What `GET /api/oruk/` says about the API (openapi.json: getAPIMetaInformation), plus its licence. */
export const API_INFO = {
  version: 'HSDS-UK-3.0',
  profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
  openapi_url: `https://raw.githubusercontent.com/OpenReferralUK/uk-profile/${PROFILE_COMMIT}/schema/openapi.json`,
  licence: LICENCE,
  attribution: ATTRIBUTION,
  open_data: {
    csv: '/open-data/directory.csv',
    json: '/open-data/directory.json',
    licence: '/open-data/directory-licence.txt',
  },
} as const

/** Every taxonomy term, built from the Choice Frameworks and the service types and ratings now in the directory. */
export async function loadTaxonomyTerms(db: AnyDb): Promise<TaxonomyTerm[]> {
  // The taxonomy changes only when an import brings a new provider type or rating.
  return cachedForDirectory(db, 'taxonomy terms', () =>
    selectTaxonomyValues(moduleDb<DirectoryTables>(db)).then(buildTerms),
  )
}

async function termConditions(
  db: AnyDb,
  q: { taxonomy_term_id?: string | undefined; taxonomy_id?: string | undefined },
): Promise<TermCondition[]> {
  const conditions: TermCondition[] = []
  if (q.taxonomy_term_id) {
    const term = (await loadTaxonomyTerms(db)).find((t) => t.id === q.taxonomy_term_id)
    conditions.push(term ? term.meaning : { kind: 'nothing' })
  }
  if (q.taxonomy_id) {
    const taxonomy = findTaxonomy(q.taxonomy_id)
    conditions.push(taxonomy ? { kind: 'taxonomy', key: taxonomy.key } : { kind: 'nothing' })
  }
  return conditions
}

async function filterOf(db: AnyDb, q: ServicesQuery | ServiceAtLocationsQuery): Promise<OrukFilter> {
  return {
    words: q.words,
    modifiedAfter: q.modified_after ?? null,
    organisationId: q.organization_id ?? null,
    terms: await termConditions(db, q),
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

/**
 * A page of listed services: their one-to-one fields, or fully nested with `full=true`. A page of nested services
 * costs four queries however long it is (page, count, locations, identifiers), never one per service.
 */
export async function listServices(db: AnyDb, q: ServicesQuery): Promise<OrukPage<OrukServiceSummary | OrukService>> {
  const d = moduleDb<DirectoryTables>(db)
  const filter = await filterOf(db, q)
  const [rows, total] = await Promise.all([
    selectServicePage(d, filter, q.perPage, (q.page - 1) * q.perPage),
    // Counting every match is the dearest part of a page, and a client paging asks for the same count each time.
    cachedForDirectory(db, ['services', filter], () => countServices(d, filter)),
  ])
  if (!q.full) return toPage(rows.map(toServiceSummary), total, q.page, q.perPage)
  const [locations, identifiers] = await Promise.all([
    selectLocationsOf(
      d,
      rows.map((r) => r.id),
    ),
    selectIdentifiersOf(
      d,
      rows.map((r) => r.organisation_id),
    ),
  ])
  const locationsOf = groupBy(locations, (l) => l.service_id)
  const identifiersOf = groupBy(identifiers, (i) => i.organisation_id)
  const contents = rows.map((r) =>
    toFullService(r, locationsOf.get(r.id) ?? [], identifiersOf.get(r.organisation_id) ?? []),
  )
  return toPage(contents, total, q.page, q.perPage)
}

/** A listed service, fully nested; undefined for an unknown, unlisted or malformed id. */
export async function findService(db: AnyDb, id: string): Promise<OrukService | undefined> {
  if (!isUuid(id)) return undefined
  const d = moduleDb<DirectoryTables>(db)
  const row = await selectServiceById(d, id.toLowerCase())
  if (!row) return undefined
  const [locations, identifiers] = await Promise.all([
    selectLocationsOf(d, [row.id]),
    selectIdentifiersOf(d, [row.organisation_id]),
  ])
  return toFullService(row, locations, identifiers)
}

/** Where a postcode or postcode district is: its ONSPD point, else its district's centre. */
async function locate(db: AnyDb, text: string): Promise<{ latitude: number; longitude: number } | null> {
  const typed = text.replace(/\s+/g, ' ').trim().toUpperCase()
  if (isOutcode(typed)) return (await selectOutcodeCentre(moduleDb<DirectoryTables>(db), typed)) ?? null
  const found = await locatePostcode(db, typed)
  return found && { latitude: found.latitude, longitude: found.longitude }
}

export type ServiceAtLocationPageResult =
  { ok: true; page: OrukPage<OrukServiceAtLocation> } | { ok: false; reason: 'unknown-postcode' }

/**
 * A page of services at their locations. With a postcode, nearest first; with `proximity` too, only those within
 * that many metres of it. A postcode the directory cannot place is the caller's to correct.
 */
export async function listServiceAtLocations(
  db: AnyDb,
  q: ServiceAtLocationsQuery,
): Promise<ServiceAtLocationPageResult> {
  const d = moduleDb<DirectoryTables>(db)
  let near: Near | null = null
  if (q.postcode) {
    const origin = await locate(db, q.postcode)
    if (!origin) return { ok: false, reason: 'unknown-postcode' }
    near = { ...origin, radiusMetres: q.proximity ?? null }
  }
  const filter = await filterOf(db, q)
  const [rows, total] = await Promise.all([
    selectServiceAtLocationPage(d, filter, near, q.perPage, (q.page - 1) * q.perPage),
    cachedForDirectory(db, ['service_at_locations', filter, near], () => countServiceAtLocations(d, filter, near)),
  ])
  const contents = rows.map((r): OrukServiceAtLocation => ({
    id: r.service_at_location_id,
    service_id: r.id,
    location_id: r.location_id,
    location: toLocation(r, r, false),
    service: toServiceSummary(r),
  }))
  return { ok: true, page: toPage(contents, total, q.page, q.perPage) }
}

/** A service at a location, fully nested (its location with address; its service with organisation and terms). */
export async function findServiceAtLocation(db: AnyDb, id: string): Promise<OrukServiceAtLocation | undefined> {
  if (!isUuid(id)) return undefined
  const d = moduleDb<DirectoryTables>(db)
  const row = await selectServiceAtLocationById(d, id.toLowerCase())
  if (!row) return undefined
  const identifiers = await selectIdentifiersOf(d, [row.organisation_id])
  const { service_at_locations: _, ...service } = toFullService(row, [], identifiers)
  return {
    id: row.service_at_location_id,
    service_id: row.id,
    location_id: row.location_id,
    location: toLocation(row, row, true),
    service,
  }
}

function slice<T>(all: T[], p: PageParams): OrukPage<T> {
  return toPage(all.slice((p.page - 1) * p.perPage, p.page * p.perPage), all.length, p.page, p.perPage)
}

export async function listTaxonomyPage(p: PageParams): Promise<OrukPage<OrukTaxonomy>> {
  return slice(
    listTaxonomies().map((t) => toOrukTaxonomy(t)),
    p,
  )
}

/** A taxonomy with all its terms. */
export async function findTaxonomyById(db: AnyDb, id: string): Promise<OrukTaxonomy | undefined> {
  const taxonomy = isUuid(id) ? findTaxonomy(id.toLowerCase()) : undefined
  if (!taxonomy) return undefined
  const terms = (await loadTaxonomyTerms(db)).filter((t) => t.taxonomy.id === taxonomy.id)
  return toOrukTaxonomy(taxonomy, terms)
}

export async function listTaxonomyTermPage(db: AnyDb, p: PageParams): Promise<OrukPage<OrukTaxonomyTerm>> {
  return slice((await loadTaxonomyTerms(db)).map(toOrukTerm), p)
}

export async function findTaxonomyTerm(db: AnyDb, id: string): Promise<OrukTaxonomyTerm | undefined> {
  if (!isUuid(id)) return undefined
  const term = (await loadTaxonomyTerms(db)).find((t) => t.id === id.toLowerCase())
  return term && toOrukTerm(term)
}
