import type { AnyDb, ImportSource, RecordResult } from '../../../platform/index.ts'
import type { PostcodesTable } from '../tables.ts'
import { ukLatitude, ukLongitude } from './coordinates.ts'
import { normalisePostcode, outcodeOf } from './postcode.ts'
import { upsertCountingChanges } from './upsert.queries.ts'

/** A directory.postcodes row as the ONSPD importer writes it (terminated_on as an ISO date, the first of the month). */
export type PostcodeInput = Omit<PostcodesTable, 'terminated_on'> & { terminated_on: string | null }

// ONSPD writes "no grid reference" (osgrdind 9: Crown dependencies, some new or non-geographic postcodes) as
// lat 99.999999, long 0.000000 rather than leaving the cells empty (data/README.md, onspd); both cells empty is
// taken the same way.
const NO_GRID_LATITUDE = 99.999999

const GSS_CODE = /^[A-Z]\d{8}$/
// ONS pseudo-codes for "no such geography here", e.g. S99999999 (no English county in Scotland), L99999999.
const PSEUDO_CODE = /^[A-Z]99999999$/

/** A GSS code, or null for an empty cell or a pseudo-code; undefined when the cell holds something else. */
function gssCode(value: string | undefined): string | null | undefined {
  const v = value?.trim() ?? ''
  if (v === '' || PSEUDO_CODE.test(v)) return null
  return GSS_CODE.test(v) ? v : undefined
}

/** ONSPD's YYYYMM → the first day of that month, or undefined when it is not a month. */
function month(value: string): string | null | undefined {
  const v = value.trim()
  if (v === '') return null
  const m = /^(\d{4})(\d{2})$/.exec(v)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined
  return `${m[1]}-${m[2]}-01`
}

// directory.postcodes column ← ONSPD column; lsoa21 is absent from editions before 2022.
const CODE_COLUMNS = [
  ['la_code', 'oslaua'],
  ['lsoa11_code', 'lsoa11'],
  ['lsoa21_code', 'lsoa21'],
  ['country_code', 'ctry'],
] as const

/** Checks one ONSPD record and turns it into a directory.postcodes row. */
export function onspdToPostcode(r: Record<string, string>): RecordResult<PostcodeInput> {
  const postcode = normalisePostcode(r.pcds ?? '')
  if (!postcode) return { invalid: `pcds "${r.pcds}" is not a postcode` }
  let latitude: number | null = null
  let longitude: number | null = null
  const noGrid = (Number(r.lat) === NO_GRID_LATITUDE && Number(r.long) === 0) || (!r.lat?.trim() && !r.long?.trim())
  if (!noGrid) {
    const lat = ukLatitude(r.lat)
    const long = ukLongitude(r.long)
    if (lat === undefined) return { invalid: `lat "${r.lat}" is not a UK latitude` }
    if (long === undefined) return { invalid: `long "${r.long}" is not a UK longitude` }
    latitude = lat
    longitude = long
  }
  const terminated = month(r.doterm ?? '')
  if (terminated === undefined) return { invalid: `doterm "${r.doterm}" is not a month (YYYYMM)` }
  const codes = {} as Record<(typeof CODE_COLUMNS)[number][0], string | null>
  for (const [column, field] of CODE_COLUMNS) {
    const code = gssCode(r[field])
    if (code === undefined) return { invalid: `${field} "${r[field]}" is not a GSS code` }
    codes[column] = code
  }
  return {
    row: {
      postcode,
      outcode: outcodeOf(postcode),
      latitude,
      longitude,
      la_code: codes.la_code,
      lsoa11_code: codes.lsoa11_code,
      lsoa21_code: codes.lsoa21_code,
      country_code: codes.country_code,
      terminated_on: terminated,
    },
  }
}

const COLUMNS = {
  postcode: 'text',
  outcode: 'text',
  latitude: 'float8',
  longitude: 'float8',
  la_code: 'text',
  lsoa11_code: 'text',
  lsoa21_code: 'text',
  country_code: 'text',
  terminated_on: 'date',
} as const

/**
 * The ONS Postcode Directory (ONSPD, 52-column CSV layout with a header row): every UK postcode, live and terminated,
 * with its coordinates, local authority and LSOA. Older editions without lsoa21 import too (the column stays null).
 */
export const onspdSource: ImportSource<PostcodeInput> = {
  name: 'onspd',
  description: 'ONS Postcode Directory (ONSPD CSV): postcodes with coordinates, local authority and LSOA',
  layout: { kind: 'header', required: ['pcds', 'doterm', 'oslaua', 'ctry', 'lsoa11', 'lat', 'long'] },
  parse: onspdToPostcode,
  key: (row) => row.postcode,
  store: (trx: AnyDb, rows) => upsertCountingChanges(trx, 'directory.postcodes', 'postcode', COLUMNS, rows),
}
