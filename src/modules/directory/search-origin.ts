import { moduleDb, type AnyDb } from '../../platform/index.ts'
import { isOutcode, locatePostcode } from './geography/index.ts'
import type { DirectoryTables, LocationPrecision } from './tables.ts'

export type SearchOrigin =
  | { ok: true; latitude: number; longitude: number; precision: LocationPrecision; label: string }
  | { ok: false; reason: 'not-a-postcode' | 'unknown-postcode' }

/**
 * Where a search starts, from what a person typed: a full postcode (exact when the ONS Postcode Directory has it,
 * else its district's centre) or just a district (outcode), which is approximate by nature.
 */
export async function searchOrigin(db: AnyDb, text: string): Promise<SearchOrigin> {
  const typed = text.replace(/\s+/g, ' ').trim().toUpperCase()
  if (isOutcode(typed)) {
    const centroid = await moduleDb<DirectoryTables>(db)
      .selectFrom('directory.outcodes')
      .select(['latitude', 'longitude'])
      .where('outcode', '=', typed)
      .executeTakeFirst()
    return centroid
      ? { ok: true, ...centroid, precision: 'outcode', label: typed }
      : { ok: false, reason: 'unknown-postcode' }
  }
  const found = await locatePostcode(db, typed)
  if (found)
    return {
      ok: true,
      latitude: found.latitude,
      longitude: found.longitude,
      precision: found.precision,
      label: found.postcode,
    }
  return {
    ok: false,
    reason: /^[A-Z0-9 ]{5,8}$/.test(typed) && /\d/.test(typed) ? 'unknown-postcode' : 'not-a-postcode',
  }
}
