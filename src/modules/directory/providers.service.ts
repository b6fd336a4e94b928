import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { ChoiceFramework } from './frameworks.ts'
import type { DirectoryTables, LocationPrecision, RegistrationStatus, ServiceStatus } from './tables.ts'
import { cachedForDirectory } from './directory-cache.ts'
import {
  countOpenProvidersByFramework,
  countProviders,
  selectProviderById,
  selectProviders,
  type ProviderFilter,
  type ProviderViewRow,
  selectNearby,
  selectServiceTypes,
  countNearby,
  type Around,
  type NearbyOrder,
} from './providers.queries.ts'

/** A provider as pages and other modules see it: one service, who runs it, where, and what its regulator says. */
export interface Provider {
  id: string
  name: string
  framework: ChoiceFramework
  providerType: string
  organisation: { id: string; name: string; sector: string | null }
  address: string
  town: string | null
  postcode: string | null
  localAuthority: string | null
  /** The source the address is from: the provider's own register's, or another's (a school's from DfE's KS5 file). */
  addressSource: string | null
  location: { latitude: number; longitude: number; precision: LocationPrecision } | null
  status: ServiceStatus
  registration: { regulator: string; ref: string; status: RegistrationStatus } | null
  /** Who gave the rating (Ofsted rates schools that DfE registers). */
  regulator: string | null
  rating: string | null
  ratingDate: Date | null
  openedOn: Date | null
  closedOn: Date | null
  places: number | null
  telephone: string | null
  /** Kept by the provider's own staff. */
  details: {
    description: string | null
    openingTimes: string | null
    accessibility: string | null
    email: string | null
    url: string | null
  }
  source: { name: string; ref: string; file: string; importedAt: Date; unlistedAt: Date | null }
}

export function toProvider(row: ProviderViewRow): Provider {
  return {
    id: row.id,
    name: row.name,
    framework: row.framework,
    providerType: row.service_type,
    organisation: { id: row.organisation_id, name: row.organisation_name, sector: row.sector },
    address: row.address ?? '',
    town: row.town ?? null,
    postcode: row.postcode ?? null,
    localAuthority: row.la_name ?? null,
    addressSource: row.address_source ?? null,
    location:
      row.latitude != null && row.longitude != null && row.precision
        ? { latitude: row.latitude, longitude: row.longitude, precision: row.precision }
        : null,
    status: row.status,
    registration:
      row.regulator && row.regulator_ref && row.registration_status
        ? { regulator: row.regulator, ref: row.regulator_ref, status: row.registration_status }
        : null,
    regulator: row.rated_by ?? null,
    rating: row.rating ?? null,
    ratingDate: row.rating_date ?? null,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    places: row.places,
    telephone: row.telephone,
    details: {
      description: row.description,
      openingTimes: row.opening_times,
      accessibility: row.accessibility,
      email: row.email,
      url: row.url,
    },
    source: {
      name: row.source,
      ref: row.source_ref,
      file: row.source_file,
      importedAt: row.imported_at,
      unlistedAt: row.unlisted_at,
    },
  }
}

/**
 * Whether a provider may be chosen or paid: its service is active and listed, and its regulator has it registered
 * (or its kind of service needs no registration). Every module that lets someone choose or pay calls this.
 */
export function mayBeChosen(p: Provider): { ok: true } | { ok: false; reason: 'not-active' | 'not-registered' } {
  if (p.status !== 'active' || p.source.unlistedAt) return { ok: false, reason: 'not-active' }
  const status = p.registration?.status
  if (status !== 'registered' && status !== 'not-required') return { ok: false, reason: 'not-registered' }
  return { ok: true }
}

export interface ProviderSearch {
  framework?: ChoiceFramework | undefined
  name?: string | undefined
  rating?: string | undefined
  /** Only services of this type, as listServiceTypes gives them. */
  serviceType?: string | undefined
  /** Search around a point, nearest first; without it, results are in name order. */
  near?: Around | undefined
  /** Around a point: nearest first (the default), best rated first, or by name. */
  sort?: NearbyOrder | undefined
  page: number
  pageSize: number
}

export interface ProviderPage {
  /** Each provider with its distance from the search point, in kilometres, when searching near one. */
  providers: (Provider & { distanceKm: number | null })[]
  total: number
  page: number
  pageCount: number
}

/** Lists open providers by Choice Framework, name words and rating; near a point, nearest first. Paged. */
export async function listProviders(db: AnyDb, s: ProviderSearch): Promise<ProviderPage> {
  const nameWords = (s.name ?? '').split(/\s+/).filter(Boolean).slice(0, 8)
  const filter: ProviderFilter = {
    framework: s.framework,
    nameWords,
    rating: s.rating,
    serviceType: s.serviceType,
    openOnly: true,
  }
  const d = moduleDb<DirectoryTables>(db)
  const offset = (s.page - 1) * s.pageSize
  let providers: ProviderPage['providers']
  let total: number
  if (s.near) {
    const rows = await selectNearby(d, filter, s.near, s.pageSize, offset, s.sort)
    providers = rows.map((r) => ({ ...toProvider(r), distanceKm: r.distance_km }))
    total = await cachedForDirectory(db, ['nearby', filter, s.near], () => countNearby(d, filter, s.near!))
  } else {
    const rows = await selectProviders(d, filter, s.pageSize, offset)
    providers = rows.map((r) => ({ ...toProvider(r), distanceKm: null }))
    // Without a name or rating to match, the total is the framework's open-provider count, which is cached.
    const narrowed = nameWords.length || s.rating || s.serviceType
    total = narrowed ? await countProviders(d, filter) : await countOpenProviders(db, s.framework)
  }
  return { providers, total, page: s.page, pageCount: Math.max(1, Math.ceil(total / s.pageSize)) }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One provider by id, or undefined for an unknown or malformed id. */
export async function findProviderById(db: AnyDb, id: string): Promise<Provider | undefined> {
  if (!UUID.test(id)) return undefined
  const row = await selectProviderById(moduleDb<DirectoryTables>(db), id)
  return row && toProvider(row)
}

/** The kinds of open service in a framework, for a "what do you need" choice ("GP practice", "Childminder"). */
export async function listServiceTypes(db: AnyDb, framework: ChoiceFramework): Promise<string[]> {
  return cachedForDirectory(db, ['service types', framework], () =>
    selectServiceTypes(moduleDb<DirectoryTables>(db), framework),
  )
}

type FrameworkCounts = Partial<Record<ChoiceFramework, number>>

/** How many open providers each Choice Framework has (frameworks with none are absent). */
export async function countProvidersByFramework(db: AnyDb): Promise<FrameworkCounts> {
  // The home page and every unfiltered list need these, and they change only on import.
  return cachedForDirectory(db, 'open providers by framework', async () => {
    const rows = await countOpenProvidersByFramework(moduleDb<DirectoryTables>(db))
    return Object.fromEntries(rows.map((r) => [r.framework, r.n])) as FrameworkCounts
  })
}

async function countOpenProviders(db: AnyDb, framework: ChoiceFramework | undefined): Promise<number> {
  const counts = await countProvidersByFramework(db)
  if (framework) return counts[framework] ?? 0
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

/** One change a newer file made to a provider's record, oldest first. */
export interface ProviderChange {
  changedAt: Date
  change: 'listed' | 'updated' | 'unlisted'
  field: string | null
  oldValue: string | null
  newValue: string | null
}

export async function listProviderChanges(db: AnyDb, id: string): Promise<ProviderChange[]> {
  if (!UUID.test(id)) return []
  const rows = await moduleDb<DirectoryTables>(db)
    .selectFrom('directory.service_changes')
    .select(['changed_at', 'change', 'field', 'old_value', 'new_value'])
    .where('service_id', '=', id)
    .orderBy('changed_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    changedAt: r.changed_at,
    change: r.change,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
  }))
}
