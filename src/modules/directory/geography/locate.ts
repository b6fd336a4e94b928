import { moduleDb, type AnyDb } from '../../../platform/index.ts'
import type { DirectoryTables, LocationPrecision } from '../tables.ts'
import { normalisePostcode, outcodeOf } from './postcode.ts'

/** Where a postcode is, and how sure we are: the postcode's own point, or its district's centroid (approximate). */
export interface PostcodeLocation {
  /** The postcode as the directory writes it ("AB10 1AA"). */
  postcode: string
  outcode: string
  latitude: number
  longitude: number
  /** 'exact': ONSPD's point for the postcode; 'outcode': the centroid of its district, good to a few miles only. */
  precision: LocationPrecision
  /** Local authority (ONSPD oslaua) and LSOA (2011, which the Indices of Deprivation 2019 use), when known. */
  laCode: string | null
  lsoaCode: string | null
  /** ONSPD lists the postcode as terminated (no longer used for new addresses, still found on old ones). */
  terminated: boolean
}

/**
 * Locates a postcode as typed by a person or given in a regulator's file: exactly, from the ONS Postcode Directory,
 * when it lists the postcode with a grid reference; otherwise at the centroid of its district (precision 'outcode'),
 * keeping the local authority and LSOA ONSPD gives; null when the text is not a postcode or neither is known.
 */
export async function locatePostcode(anyDb: AnyDb, text: string): Promise<PostcodeLocation | null> {
  const postcode = normalisePostcode(text)
  if (!postcode) return null
  const db = moduleDb<DirectoryTables>(anyDb)
  const known = await db
    .selectFrom('directory.postcodes')
    .select(['outcode', 'latitude', 'longitude', 'la_code', 'lsoa11_code', 'terminated_on'])
    .where('postcode', '=', postcode)
    .executeTakeFirst()
  const about = {
    postcode,
    outcode: known?.outcode ?? outcodeOf(postcode),
    laCode: known?.la_code ?? null,
    lsoaCode: known?.lsoa11_code ?? null,
    terminated: known?.terminated_on != null,
  }
  if (known?.latitude != null && known.longitude != null) {
    return { ...about, latitude: known.latitude, longitude: known.longitude, precision: 'exact' }
  }
  const centroid = await db
    .selectFrom('directory.outcodes')
    .select(['latitude', 'longitude'])
    .where('outcode', '=', about.outcode)
    .executeTakeFirst()
  return centroid
    ? { ...about, latitude: centroid.latitude, longitude: centroid.longitude, precision: 'outcode' }
    : null
}
