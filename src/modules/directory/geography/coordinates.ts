const DECIMAL = /^-?\d+(?:\.\d+)?$/

// The UK, the Channel Islands and the Isle of Man lie well inside this box (Jersey 49.2°N, Unst 60.8°N, west
// Fermanagh 8.2°W, Lowestoft 1.8°E): a coordinate outside it is a broken row, not a remote postcode.
const LATITUDE = { min: 49, max: 61 }
const LONGITUDE = { min: -9, max: 2 }

function decimalIn(value: string | undefined, range: { min: number; max: number }): number | undefined {
  const v = value?.trim() ?? ''
  if (!DECIMAL.test(v)) return undefined
  const n = Number(v)
  return n >= range.min && n <= range.max ? n : undefined
}

/** A WGS84 latitude in the UK written as a plain decimal ("57.101474"), or undefined. */
export function ukLatitude(value: string | undefined): number | undefined {
  return decimalIn(value, LATITUDE)
}

/** A WGS84 longitude in the UK written as a plain decimal ("-2.242851"), or undefined. */
export function ukLongitude(value: string | undefined): number | undefined {
  return decimalIn(value, LONGITUDE)
}
