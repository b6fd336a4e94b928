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
  const filter: ProviderFilter = {
    framework: s.framework,
    nameWords: (s.name ?? '').split(/\s+/).filter(Boolean).slice(0, 8),
    openOnly: true,
  }
  const d = moduleDb<DirectoryTables>(db)
  const [rows, total] = await Promise.all([
    selectProviders(d, filter, s.pageSize, (s.page - 1) * s.pageSize),
    countProviders(d, filter),
  ])
  return { providers: rows.map(toProvider), total, page: s.page, pageCount: Math.max(1, Math.ceil(total / s.pageSize)) }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One provider by id, or undefined for an unknown or malformed id. */
export async function findProviderById(db: AnyDb, id: string): Promise<Provider | undefined> {
  if (!UUID.test(id)) return undefined
  const row = await selectProviderById(moduleDb<DirectoryTables>(db), id)
  return row && toProvider(row)
}

/** How many open providers each Choice Framework has (frameworks with none are absent). */
export async function countProvidersByFramework(db: AnyDb): Promise<Partial<Record<ChoiceFramework, number>>> {
  const rows = await countOpenProvidersByFramework(moduleDb<DirectoryTables>(db))
  return Object.fromEntries(rows.map((r) => [r.framework, r.n]))
}
