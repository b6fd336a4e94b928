import type { Generated, Selectable } from 'kysely'
import type { ChoiceFramework } from './frameworks.ts'

export type ProviderStatus = 'open' | 'closed' | 'dormant' | 'proposed'

export interface ProvidersTable {
  id: Generated<string>
  source: string
  source_ref: string
  name: string
  framework: ChoiceFramework
  provider_type: string
  address: string
  town: string | null
  postcode: string | null
  outcode: string | null
  la_name: string | null
  latitude: number | null
  longitude: number | null
  location_precision: 'exact' | 'outcode' | null
  status: ProviderStatus
  regulator: string | null
  rating: string | null
  rating_date: Date | null
  opened_on: Date | null
  closed_on: Date | null
  places: number | null
  telephone: string | null
  source_file: string
  imported_at: Generated<Date>
}

export interface OutcodesTable {
  outcode: string
  latitude: number
  longitude: number
}

/** The tables the directory module owns; its queries see only these. */
export interface DirectoryTables {
  'directory.providers': ProvidersTable
  'directory.outcodes': OutcodesTable
}

export type ProviderRow = Selectable<ProvidersTable>
