import type { Insertable } from 'kysely'
import { moduleDb, type AnyDb, type ImportRun } from '../../../platform/index.ts'
import { findNewestKs5Addresses } from '../performance/performance.queries.ts'
import type { DirectoryTables, ServiceChangesTable } from '../tables.ts'
import { joinAddress, type ProviderRecord } from './provider-rows.ts'
import { PLACE_COLUMNS, addressColumns, change, currentSnapshots, importRunId, placesFor } from './provider-store.ts'

// DfE's 16-18 (KS5) performance tables give the address and postcode of each school and college they list; GIAS,
// the register of schools, lists some schools without one. So a school's address is GIAS's when its GIAS row has a
// postcode (the register's word); else that of the school's newest KS5 row with a postcode; else whatever GIAS has.
// Each importer applies this one rule from its side (GIAS: withKs5Addresses; KS5: fillSchoolAddresses), so the
// result does not depend on which file came first, and importing either again changes nothing. An address without
// a postcode counts as none: it cannot place the school, and is not mixed with parts of another source's address.

/** The source a location's address is from when DfE's 16-18 tables gave it (`locations.address_source`). */
export const KS5_ADDRESS_SOURCE = 'dfe-ks5'
/** The register whose services DfE's files join by URN. */
const SCHOOLS = 'gias'

/** The location's columns an address from KS5 sets; `outcode` follows the postcode, so it needs no comparing. */
const COMPARED = ['address', 'town', 'postcode', 'address_source', ...PLACE_COLUMNS] as const

/** The newest KS5 address of each of these schools that has one, by URN as GIAS writes it. */
async function ks5Addresses(trx: AnyDb, urns: readonly number[]) {
  const rows = await findNewestKs5Addresses(moduleDb<DirectoryTables>(trx), urns)
  return new Map(
    rows.map((r) => [
      String(r.urn),
      { address: joinAddress([r.address1, r.address2, r.address3]), town: r.town, postcode: r.postcode },
    ]),
  )
}

/** GIAS rows without a postcode take their school's address from DfE's 16-18 tables, where those give one. */
export async function withKs5Addresses(trx: AnyDb, records: ProviderRecord[]): Promise<ProviderRecord[]> {
  const lacking = records.filter((r) => !r.location.postcode)
  if (!lacking.length) return records
  const found = await ks5Addresses(
    trx,
    lacking.map((r) => Number(r.sourceRef)),
  )
  return records.map((r) => {
    const ks5 = r.location.postcode ? undefined : found.get(r.sourceRef)
    return ks5 ? { ...r, location: { ...r.location, ...ks5, givenBy: KS5_ADDRESS_SOURCE } } : r
  })
}

/**
 * After a batch of KS5 rows is stored: each listed school of those URNs that has no postcode, or whose address KS5
 * gave, takes its newest KS5 address (placed by its postcode), with the change in its history as a GIAS file's
 * would be. A URN with no school yet keeps its address in its KS5 rows: the school takes it when GIAS lists it.
 * Returns how many schools' addresses changed.
 */
export async function fillSchoolAddresses(trx: AnyDb, run: ImportRun, urns: readonly number[]): Promise<number> {
  const db = moduleDb<DirectoryTables>(trx)
  const addresses = await ks5Addresses(trx, urns)
  if (!addresses.size) return 0
  const schools = await currentSnapshots(db, SCHOOLS, [...addresses.keys()])
  const place = await placesFor(
    db,
    [...addresses.values()].map((a) => a.postcode),
  )
  const updates = [...schools.values()].flatMap((now) => {
    const ks5 = addresses.get(now.source_ref)
    if (!ks5 || (now.postcode !== null && now.address_source !== KS5_ADDRESS_SOURCE)) return []
    const next = addressColumns(ks5, place, KS5_ADDRESS_SOURCE)
    return COMPARED.some((k) => now[k] !== next[k]) ? [{ now, next }] : []
  })
  if (!updates.length) return 0
  const runId = await importRunId(trx, run)
  const changes: Insertable<ServiceChangesTable>[] = []
  for (const { now, next } of updates) {
    await db.updateTable('directory.locations').set(next).where('id', '=', now.location_id).execute()
    if (now.address !== next.address) {
      changes.push({
        ...change(now.id, runId, run, 'updated'),
        field: 'address',
        old_value: now.address,
        new_value: next.address,
      })
    }
  }
  if (changes.length) await db.insertInto('directory.service_changes').values(changes).execute()
  return updates.length
}
