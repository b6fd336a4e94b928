import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { ChoiceFramework } from '../frameworks.ts'
import type { DirectoryTables, LocationPrecision, RegistrationStatus, ServicesTable } from '../tables.ts'
import type { TaxonomyKey, TermMeaning } from './oruk.taxonomy.ts'
import { distanceKmTo, locationsWithin } from '../geography/nearby.ts'

type Db = Kysely<DirectoryTables>
type WithServices = DirectoryTables & { s: ServicesTable }

/** A condition from a `taxonomy_term_id` or `taxonomy_id` parameter; `nothing` for an id no term or taxonomy has. */
export type TermCondition = TermMeaning | { kind: 'taxonomy'; key: TaxonomyKey } | { kind: 'nothing' }

/** A point and a radius (metres) that locations must lie within. */
export interface Near {
  latitude: number
  longitude: number
  radiusMetres: number | null
}

/** What the Open Referral UK list endpoints filter on. Only listed services (`unlisted_at is null`) ever match. */
export interface OrukFilter {
  /** Words that must each appear in the service's name, type or description (case-insensitive). */
  words: string[]
  modifiedAfter: Date | null
  organisationId: string | null
  terms: TermCondition[]
}

const escapeLike = (word: string) => `%${word.replace(/[\\%_]/g, '\\$&')}%`

/** The filter's conditions on the services table (aliased `s`), shared by every list and its count. */
function serviceConditions(f: OrukFilter) {
  return (eb: ExpressionBuilder<WithServices, 's'>) => {
    const conditions: Expression<SqlBool>[] = [eb('s.unlisted_at', 'is', null)]
    for (const word of f.words) {
      conditions.push(eb(sql<string>`concat_ws(' ', s.name, s.service_type, s.description)`, 'ilike', escapeLike(word)))
    }
    if (f.modifiedAfter) conditions.push(eb('s.imported_at', '>=', f.modifiedAfter))
    if (f.organisationId) conditions.push(eb('s.organisation_id', '=', f.organisationId))
    /** The service's registration exists, with this status or rating (any rating: `null`) when given. */
    const registered = (only: { status?: RegistrationStatus; rating?: string | null } = {}) => {
      let sub = eb
        .selectFrom('directory.registrations as rr')
        .select('rr.service_id')
        .whereRef('rr.service_id', '=', 's.id')
      if (only.status) sub = sub.where('rr.status', '=', only.status)
      if (only.rating !== undefined) sub = sub.where('rr.rating', only.rating === null ? 'is not' : '=', only.rating)
      return eb.exists(sub)
    }
    /** One of the service's locations has coordinates of this precision (any precision: `null`). */
    const precisionExists = (precision: LocationPrecision | null) => {
      const sub = eb
        .selectFrom('directory.service_at_locations as psal')
        .innerJoin('directory.locations as pl', 'pl.id', 'psal.location_id')
        .select('psal.id')
        .whereRef('psal.service_id', '=', 's.id')
      return eb.exists(
        precision ? sub.where('pl.precision', '=', precision) : sub.where('pl.precision', 'is not', null),
      )
    }
    for (const t of f.terms) {
      switch (t.kind) {
        case 'framework':
          conditions.push(eb('s.framework', '=', t.framework))
          break
        case 'service-type':
          conditions.push(eb('s.framework', '=', t.framework), eb('s.service_type', '=', t.serviceType))
          break
        case 'registration':
          conditions.push(registered({ status: t.status }))
          break
        case 'rating':
          conditions.push(registered({ rating: t.rating }))
          break
        case 'precision':
          conditions.push(precisionExists(t.precision))
          break
        case 'taxonomy':
          if (t.key === 'registration-status') conditions.push(registered())
          if (t.key === 'ratings') conditions.push(registered({ rating: null }))
          if (t.key === 'location-precision') conditions.push(precisionExists(null))
          break // every service has a type: 'service-types' narrows nothing
        case 'nothing':
          conditions.push(sql<SqlBool>`false`)
      }
    }
    return eb.and(conditions)
  }
}

/** The one-to-one fields of a service, its organisation and its registration. */
const SERVICE_COLUMNS = [
  's.id',
  's.name',
  's.status',
  's.framework',
  's.service_type',
  's.description',
  's.email',
  's.url',
  's.telephone',
  's.opening_times',
  's.accessibility',
  's.imported_at',
  's.organisation_id',
  'o.name as organisation_name',
  'o.description as organisation_description',
  'o.email as organisation_email',
  'o.website as organisation_website',
  'r.regulator',
  'r.regulator_ref',
  'r.status as registration_status',
  'r.rating',
  'r.rated_by',
  sql<string | null>`to_char(r.rating_date, 'YYYY-MM-DD')`.as('rating_date'),
] as const

function services(db: Db) {
  return db
    .selectFrom('directory.services as s')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .select(SERVICE_COLUMNS)
}

/**
 * One page of listed services in id order. The page's ids are chosen first, from the index of listed services,
 * and only those rows are joined: a deep page costs an index range, not a join of everything before it.
 */
export async function selectServicePage(db: Db, f: OrukFilter, limit: number, offset: number) {
  const page = db
    .selectFrom('directory.services as s')
    .select('s.id')
    .where(serviceConditions(f))
    .orderBy('s.id')
    .limit(limit)
    .offset(offset)
  return services(db).where('s.id', 'in', page).orderBy('s.id').execute()
}

export type ServiceRow = Awaited<ReturnType<typeof selectServicePage>>[number]

export async function countServices(db: Db, f: OrukFilter): Promise<number> {
  const row = await db
    .selectFrom('directory.services as s')
    .where(serviceConditions(f))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/** A listed service by id; undefined when it is unknown or unlisted. */
export async function selectServiceById(db: Db, id: string): Promise<ServiceRow | undefined> {
  return services(db).where('s.id', '=', id).where('s.unlisted_at', 'is', null).executeTakeFirst()
}

const LOCATION_COLUMNS = [
  'l.id as location_id',
  'l.address',
  'l.town',
  'l.postcode',
  'l.outcode',
  'l.latitude',
  'l.longitude',
  'l.precision',
  'l.la_name',
] as const

/** The locations of a page of services, in one query (the service_id, location_id unique index). */
export async function selectLocationsOf(db: Db, serviceIds: readonly string[]) {
  if (serviceIds.length === 0) return []
  return db
    .selectFrom('directory.service_at_locations as sal')
    .innerJoin('directory.locations as l', 'l.id', 'sal.location_id')
    .select(['sal.id as service_at_location_id', 'sal.service_id', ...LOCATION_COLUMNS])
    .where('sal.service_id', 'in', [...new Set(serviceIds)])
    .orderBy('sal.id')
    .execute()
}

export type LocationRow = Omit<Awaited<ReturnType<typeof selectLocationsOf>>[number], 'service_id'>

/** The published identifiers of a page's organisations, in one query (organisation_identifiers_organisation_idx). */
export async function selectIdentifiersOf(db: Db, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return []
  return db
    .selectFrom('directory.organisation_identifiers')
    .select(['organisation_id', 'scheme', 'value'])
    .where('organisation_id', 'in', [...new Set(organisationIds)])
    .orderBy('scheme')
    .orderBy('value')
    .execute()
}

export type IdentifierRow = Awaited<ReturnType<typeof selectIdentifiersOf>>[number]

/** Listed services at their locations, with the filter (no location needed). */
function matchingServiceAtLocations(db: Db, f: OrukFilter) {
  return db
    .selectFrom('directory.service_at_locations as sal')
    .innerJoin('directory.services as s', 's.id', 'sal.service_id')
    .where(serviceConditions(f))
}

/** Services at their locations with everything a list item shows: service, organisation, registration, location. */
function serviceAtLocationRows(db: Db) {
  return db
    .selectFrom('directory.service_at_locations as sal')
    .innerJoin('directory.services as s', 's.id', 'sal.service_id')
    .innerJoin('directory.locations as l', 'l.id', 'sal.location_id')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .select(SERVICE_COLUMNS)
    .select(['sal.id as service_at_location_id', ...LOCATION_COLUMNS])
}

/**
 * One page of services at locations, each with its service's one-to-one fields and its location: in id order
 * (ids first, as for services), or nearest first from a postcode, locations without coordinates last.
 */
export async function selectServiceAtLocationPage(
  db: Db,
  f: OrukFilter,
  near: Near | null,
  limit: number,
  offset: number,
) {
  if (!near) {
    const page = matchingServiceAtLocations(db, f).select('sal.id').orderBy('sal.id').limit(limit).offset(offset)
    return serviceAtLocationRows(db).where('sal.id', 'in', page).orderBy('sal.id').execute()
  }
  if (near.radiusMetres === null) {
    return serviceAtLocationRows(db)
      .where(serviceConditions(f))
      .orderBy(distanceKmTo(near, 'l'), (o) => o.asc().nullsLast())
      .orderBy('sal.id')
      .limit(limit)
      .offset(offset)
      .execute()
  }
  // Within a radius, the locations come sorted by distance and the page is joined to them in that order.
  return db
    .selectFrom(locationsWithin(db, near, near.radiusMetres / 1000).as('l'))
    .innerJoin('directory.service_at_locations as sal', 'sal.location_id', 'l.id')
    .innerJoin('directory.services as s', 's.id', 'sal.service_id')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .select(SERVICE_COLUMNS)
    .select(['sal.id as service_at_location_id', ...LOCATION_COLUMNS])
    .where(serviceConditions(f))
    .orderBy('l.distance_km')
    .orderBy('l.id')
    .orderBy('sal.id')
    .limit(limit)
    .offset(offset)
    .execute()
}

export type ServiceAtLocationRow = Awaited<ReturnType<typeof selectServiceAtLocationPage>>[number]

export async function countServiceAtLocations(db: Db, f: OrukFilter, near: Near | null): Promise<number> {
  const q =
    near?.radiusMetres != null
      ? matchingServiceAtLocations(db, f).innerJoin(
          locationsWithin(db, near, near.radiusMetres / 1000).as('l'),
          'l.id',
          'sal.location_id',
        )
      : matchingServiceAtLocations(db, f)
  const row = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  return row.n
}

/** A service at a location by id, when its service is listed. */
export async function selectServiceAtLocationById(db: Db, id: string): Promise<ServiceAtLocationRow | undefined> {
  return serviceAtLocationRows(db).where('sal.id', '=', id).where('s.unlisted_at', 'is', null).executeTakeFirst()
}

/** The centre of a postcode district (outcode), such as LS1. */
export async function selectOutcodeCentre(db: Db, outcode: string) {
  return db
    .selectFrom('directory.outcodes')
    .select(['latitude', 'longitude'])
    .where('outcode', '=', outcode)
    .executeTakeFirst()
}

/** The service types and ratings the listed directory holds, for the taxonomy. */
export async function selectTaxonomyValues(db: Db) {
  const [serviceTypes, ratings] = await Promise.all([
    db
      .selectFrom('directory.services')
      .select(['framework', 'service_type'])
      .where('unlisted_at', 'is', null)
      .groupBy(['framework', 'service_type'])
      .execute(),
    db
      .selectFrom('directory.registrations as r')
      .innerJoin('directory.services as s', 's.id', 'r.service_id')
      .select('r.rating')
      .where('s.unlisted_at', 'is', null)
      .where('r.rating', 'is not', null)
      .groupBy('r.rating')
      .execute(),
  ])
  return {
    serviceTypes: serviceTypes.map((r) => ({ framework: r.framework as ChoiceFramework, serviceType: r.service_type })),
    ratings: ratings.flatMap((r) => (r.rating ? [r.rating] : [])),
  }
}

/**
 * One batch of the open data download: listed services at their locations after a given service_at_location id,
 * in id order (keyset paging on the primary key, so each batch is an index range and nothing is held open).
 */
export async function selectDownloadBatch(db: Db, afterId: string | null, limit: number) {
  let q = db
    .selectFrom('directory.service_at_locations as sal')
    .innerJoin('directory.services as s', 's.id', 'sal.service_id')
    .innerJoin('directory.locations as l', 'l.id', 'sal.location_id')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .select([
      'sal.id as service_at_location_id',
      's.id as service_id',
      'l.id as location_id',
      's.name',
      's.organisation_id',
      'o.name as organisation_name',
      's.framework',
      's.service_type',
      's.status',
      'r.status as registration_status',
      'r.regulator',
      'r.regulator_ref',
      'r.rating',
      'r.rated_by',
      sql<string | null>`to_char(r.rating_date, 'YYYY-MM-DD')`.as('rating_date'),
      'l.address',
      'l.town',
      'l.postcode',
      'l.la_name',
      'l.latitude',
      'l.longitude',
      'l.precision',
      's.source',
      's.source_ref',
      's.source_file',
      's.imported_at',
    ])
    .select((eb) =>
      // The organisation's identifiers, by the index on organisation_id, one row at a time (a correlated subquery
      // is cheaper here than a second query with a thousand ids, which the planner answers with a full scan).
      jsonArrayFrom(
        eb
          .selectFrom('directory.organisation_identifiers as oi')
          .select(['oi.scheme', 'oi.value'])
          .whereRef('oi.organisation_id', '=', 's.organisation_id')
          .orderBy('oi.scheme')
          .orderBy('oi.value'),
      ).as('identifiers'),
    )
    .where('s.unlisted_at', 'is', null)
  if (afterId) q = q.where('sal.id', '>', afterId)
  return q.orderBy('sal.id').limit(limit).execute()
}

export type DownloadRow = Awaited<ReturnType<typeof selectDownloadBatch>>[number]
