import { sql } from 'kysely'
import type { AnyDb, ImportSource } from '../../../platform/index.ts'
import { forgetDirectoryCaches } from '../directory-cache.ts'
import { epraccurRecord, giasRecord, ofstedRecord, type ProviderRecord } from './provider-rows.ts'
import { storeProviders, unlistMissing, wholeRegister, type SourceRole } from './provider-store.ts'
import { withKs5Addresses } from './school-addresses.ts'

/**
 * What every provider source shares: how rows are keyed and stored, and what happens after the whole file. Its
 * role says which register it lists services in and which of their fields it keeps; by default, it is the whole
 * register of its own name.
 */
export function providerSource(
  name: string,
  description: string,
  layout: ImportSource<ProviderRecord>['layout'],
  parse: ImportSource<ProviderRecord>['parse'],
  role: SourceRole = wholeRegister(name),
): ImportSource<ProviderRecord> {
  return {
    name,
    description,
    layout,
    parse,
    key: (r) => r.sourceRef,
    store: (trx, rows, run) => storeProviders(trx, rows, run, role),
    async finish(trx: AnyDb, run, keys) {
      // Only the whole register can tell that a service has gone: a part of it may just not carry that one.
      return { vanished: role.unlists ? await unlistMissing(trx, run, role.register, keys) : 0 }
    },
    // Caches are kept per database, not per transaction: they are cleared once the import is visible.
    async afterCommit(db: AnyDb) {
      await sql`analyze directory.services, directory.locations`.execute(db)
      forgetDirectoryCaches(db)
    },
  }
}

export const odsEpraccurSource = providerSource(
  'ods-epraccur',
  'NHS ODS epraccur: GP practices and prescribing cost centres (no header; columns by position)',
  { kind: 'positional', columns: 27 },
  epraccurRecord,
)

const giasRegister = providerSource(
  'gias',
  'DfE Get Information about Schools: all establishment data (any of its column sets)',
  { kind: 'header', required: ['URN', 'EstablishmentName', 'EstablishmentStatus (name)', 'Postcode'] },
  giasRecord,
)

/** GIAS: a school it lists without a postcode takes the address DfE's 16-18 tables give it (school-addresses.ts). */
export const giasSource: ImportSource<ProviderRecord> = {
  ...giasRegister,
  store: async (trx, rows, run) => giasRegister.store(trx, await withKs5Addresses(trx, rows), run),
}

export const ofstedChildcareSource = providerSource(
  'ofsted-childcare',
  'Ofsted childcare providers and inspections (early years)',
  { kind: 'header', required: ['Provider URN', 'Provider name', 'Provider status', 'Postcode'] },
  ofstedRecord,
)
