import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { DirectoryTables, ServicesTable } from './tables.ts'
import type { ChoiceFramework } from './frameworks.ts'
import { locationsWithin, type Point } from './geography/nearby.ts'
import { RATINGS } from './providers.schema.ts'

export interface ProviderFilter {
  framework?: ChoiceFramework | undefined
  /** Only providers with this latest rating. */
  rating?: string | undefined
  /** Only services of this type (`service_type`, as the regulator's file names it: "GP practice", "Childminder"). */
  serviceType?: string | undefined
  /** Words that must all appear in the name (case-insensitive). */
  nameWords?: string[]
  /** Only services that are active and still listed by their source. */
  openOnly?: boolean
}

/**
 * A provider as pages read it: a service with its organisation, its (first) location and its registration.
 * Each service has one location today; a lateral join keeps a second location from duplicating the service.
 */
function providers(db: Kysely<DirectoryTables>) {
  return db
    .selectFrom('directory.services as s')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('directory.service_at_locations as sal')
          .innerJoin('directory.locations as l', 'l.id', 'sal.location_id')
          .selectAll('l')
          .whereRef('sal.service_id', '=', 's.id')
          .orderBy('sal.id')
          .limit(1)
          .as('loc'),
      (join) => join.onTrue(),
    )
}

const PROVIDER_COLUMNS = [
  's.id',
  's.name',
  's.framework',
  's.service_type',
  's.status',
  's.places',
  's.telephone',
  's.opened_on',
  's.closed_on',
  's.description',
  's.opening_times',
  's.accessibility',
  's.email',
  's.url',
  's.source',
  's.source_ref',
  's.source_file',
  's.imported_at',
  's.unlisted_at',
  's.organisation_id',
  'o.name as organisation_name',
  'o.sector',
  'r.regulator',
  'r.regulator_ref',
  'r.status as registration_status',
  'r.rating',
  'r.rating_date',
  'r.rated_by',
  'loc.address',
  'loc.town',
  'loc.postcode',
  'loc.la_name',
  'loc.latitude',
  'loc.longitude',
  'loc.precision',
  'loc.address_source',
] as const

type WithServices = DirectoryTables & { s: ServicesTable }

/** The filter's conditions on the services table (aliased `s`), shared by the list and its count. */
function matches(f: ProviderFilter) {
  return (eb: ExpressionBuilder<WithServices, 's'>) => {
    const conditions: Expression<SqlBool>[] = []
    if (f.framework) conditions.push(eb('s.framework', '=', f.framework))
    if (f.serviceType) conditions.push(eb('s.service_type', '=', f.serviceType))
    if (f.rating) {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('directory.registrations as rr')
            .select('rr.service_id')
            .whereRef('rr.service_id', '=', 's.id')
            .where('rr.rating', '=', f.rating),
        ),
      )
    }
    if (f.openOnly) conditions.push(eb('s.status', '=', 'active'), eb('s.unlisted_at', 'is', null))
    for (const word of f.nameWords ?? []) conditions.push(eb('s.name', 'ilike', `%${word.replace(/[\\%_]/g, '\\$&')}%`))
    return eb.and(conditions)
  }
}

function filtered(db: Kysely<DirectoryTables>, f: ProviderFilter) {
  return providers(db).where(matches(f))
}

export async function selectProviders(db: Kysely<DirectoryTables>, f: ProviderFilter, limit: number, offset: number) {
  return filtered(db, f)
    .select(PROVIDER_COLUMNS)
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(limit)
    .offset(offset)
    .execute()
}

export type ProviderViewRow = Awaited<ReturnType<typeof selectProviders>>[number]

export async function countProviders(db: Kysely<DirectoryTables>, f: ProviderFilter): Promise<number> {
  // The count needs no location or registration: the services alone decide it.
  const row = await db
    .selectFrom('directory.services as s')
    .where(matches(f))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export async function selectProviderById(db: Kysely<DirectoryTables>, id: string) {
  return providers(db).select(PROVIDER_COLUMNS).where('s.id', '=', id).executeTakeFirst()
}

export async function countOpenProvidersByFramework(
  db: Kysely<DirectoryTables>,
): Promise<{ framework: ChoiceFramework; n: number }[]> {
  return db
    .selectFrom('directory.services')
    .select(['framework', sql<number>`count(*)::int`.as('n')])
    .where('status', '=', 'active')
    .where('unlisted_at', 'is', null)
    .groupBy('framework')
    .execute()
}

/** The kinds of open service in a framework (`service_type`), in alphabetical order. */
export async function selectServiceTypes(db: Kysely<DirectoryTables>, framework: ChoiceFramework): Promise<string[]> {
  const rows = await db
    .selectFrom('directory.services')
    .select('service_type')
    .distinct()
    .where('framework', '=', framework)
    .where('status', '=', 'active')
    .where('unlisted_at', 'is', null)
    .orderBy('service_type')
    .execute()
  return rows.map((r) => r.service_type)
}

/** A point to search around, and how far (kilometres). */
export interface Around extends Point {
  radiusKm: number
}

/** Services at locations within the radius; a service at two locations appears once per location. */
function nearby(db: Kysely<DirectoryTables>, f: ProviderFilter, a: Around) {
  return db
    .selectFrom(locationsWithin(db, a, a.radiusKm).as('loc'))
    .innerJoin('directory.service_at_locations as sal', 'sal.location_id', 'loc.id')
    .innerJoin('directory.services as s', 's.id', 'sal.service_id')
    .innerJoin('directory.organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('directory.registrations as r', 'r.service_id', 's.id')
    .where(matches(f))
}

/** How a page of services near a point is ordered: nearest, best rated, or by name (each then nearest first). */
export type NearbyOrder = 'distance' | 'rating' | 'name'

// Best first; other grades (Ofsted's "Met" for some childminders) and no rating come after these.
const RATING_RANK = sql<number>`coalesce(array_position(array[${sql.join(
  RATINGS,
)}]::text[], r.rating), ${RATINGS.length + 1})`

/**
 * A page of services near the point, nearest first unless `order` says otherwise (the locations come sorted: see
 * locationsWithin; ordering by rating or name sorts the whole circle's services instead).
 */
export async function selectNearby(
  db: Kysely<DirectoryTables>,
  f: ProviderFilter,
  a: Around,
  limit: number,
  offset: number,
  order: NearbyOrder = 'distance',
) {
  let q = nearby(db, f, a).select(PROVIDER_COLUMNS).select('loc.distance_km')
  if (order === 'rating') q = q.orderBy(RATING_RANK)
  if (order === 'name') q = q.orderBy('s.name')
  return q.orderBy('loc.distance_km').orderBy('loc.id').orderBy('s.id').limit(limit).offset(offset).execute()
}

export async function countNearby(db: Kysely<DirectoryTables>, f: ProviderFilter, a: Around): Promise<number> {
  const row = await nearby(db, f, a)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}
