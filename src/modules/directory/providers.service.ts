import { moduleDb, type AnyDb } from '../../platform/index.ts'
import type { ChoiceFramework } from './frameworks.ts'
import type { DirectoryTables, ProviderRow } from './tables.ts'
import {
  countOpenProvidersByFramework,
  countProviders,
  selectProviderById,
  selectProviders,
  type ProviderFilter,
} from './providers.queries.ts'

/** A provider as pages and other modules see it. */
export interface Provider {
  id: string
  name: string
  framework: ChoiceFramework
  providerType: string
  address: string
  town: string | null
  postcode: string | null
  localAuthority: string | null
  location: { latitude: number; longitude: number; precision: 'exact' | 'outcode' } | null
  status: ProviderRow['status']
  regulator: string | null
  rating: string | null
  ratingDate: Date | null
  openedOn: Date | null
  closedOn: Date | null
  places: number | null
  telephone: string | null
  source: { name: string; ref: string; file: string; importedAt: Date }
}

export function toProvider(row: ProviderRow): Provider {
  return {
    id: row.id,
    name: row.name,
    framework: row.framework,
    providerType: row.provider_type,
    address: row.address,
    town: row.town,
    postcode: row.postcode,
    localAuthority: row.la_name,
    location:
      row.latitude !== null && row.longitude !== null && row.location_precision
        ? { latitude: row.latitude, longitude: row.longitude, precision: row.location_precision }
        : null,
    status: row.status,
    regulator: row.regulator,
    rating: row.rating,
    ratingDate: row.rating_date,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    places: row.places,
    telephone: row.telephone,
    source: { name: row.source, ref: row.source_ref, file: row.source_file, importedAt: row.imported_at },
  }
}

export interface ProviderSearch {
  framework?: ChoiceFramework | undefined
  name?: string | undefined
  page: number
  pageSize: number
}

export interface ProviderPage {
  providers: Provider[]
  total: number
  page: number
  pageCount: number
}

/** Lists open providers, filtered by Choice Framework and name words, in name order, one page at a time. */
export async function listProviders(db: AnyDb, s: ProviderSearch): Promise<ProviderPage> {
  const nameWords = (s.name ?? '').split(/\s+/).filter(Boolean).slice(0, 8)
  const filter: ProviderFilter = { framework: s.framework, nameWords, openOnly: true }
  const d = moduleDb<DirectoryTables>(db)
  const rows = await selectProviders(d, filter, s.pageSize, (s.page - 1) * s.pageSize)
  // Without a name to match, the total is the framework's open-provider count, which is cached.
  const total = nameWords.length ? await countProviders(d, filter) : await countOpenProviders(db, s.framework)
  return { providers: rows.map(toProvider), total, page: s.page, pageCount: Math.max(1, Math.ceil(total / s.pageSize)) }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One provider by id, or undefined for an unknown or malformed id. */
export async function findProviderById(db: AnyDb, id: string): Promise<Provider | undefined> {
  if (!UUID.test(id)) return undefined
  const row = await selectProviderById(moduleDb<DirectoryTables>(db), id)
  return row && toProvider(row)
}

type FrameworkCounts = Partial<Record<ChoiceFramework, number>>

/**
 * Provider counts change only when data is imported, yet the home page and every unfiltered list need them:
 * they are kept per database for a minute (imports clear them at once; other processes catch up within it).
 */
const COUNTS_TTL_MS = 60_000
const countsCache = new WeakMap<AnyDb, { at: number; counts: Promise<FrameworkCounts> }>()

/** How many open providers each Choice Framework has (frameworks with none are absent). */
export async function countProvidersByFramework(db: AnyDb): Promise<FrameworkCounts> {
  const hit = countsCache.get(db)
  if (hit && Date.now() - hit.at < COUNTS_TTL_MS) return hit.counts
  const counts = countOpenProvidersByFramework(moduleDb<DirectoryTables>(db)).then((rows): FrameworkCounts =>
    Object.fromEntries(rows.map((r) => [r.framework, r.n])),
  )
  countsCache.set(db, { at: Date.now(), counts })
  counts.catch(() => countsCache.delete(db))
  return counts
}

async function countOpenProviders(db: AnyDb, framework: ChoiceFramework | undefined): Promise<number> {
  const counts = await countProvidersByFramework(db)
  if (framework) return counts[framework] ?? 0
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

/** Forgets cached counts after the directory's data has changed (imports, seeds). */
export function forgetProviderCounts(db: AnyDb): void {
  countsCache.delete(db)
}
