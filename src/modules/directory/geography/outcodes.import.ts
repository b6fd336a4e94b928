import type { AnyDb, ImportSource, RecordResult } from '../../../platform/index.ts'
import type { OutcodesTable } from '../tables.ts'
import { ukLatitude, ukLongitude } from './coordinates.ts'
import { isOutcode } from './postcode.ts'
import { upsertCountingChanges } from './upsert.queries.ts'

const COLUMNS = { outcode: 'text', latitude: 'float8', longitude: 'float8' } as const

/** Checks one outcode centroid record (`id,outcode,latitude,longitude,`) and turns it into a row. */
export function outcodeToRow(r: Record<string, string>): RecordResult<OutcodesTable> {
  const outcode = (r.outcode ?? '').trim().toUpperCase()
  if (!isOutcode(outcode)) return { invalid: `outcode "${r.outcode}" is not a postcode district` }
  const latitude = ukLatitude(r.latitude)
  if (latitude === undefined) return { invalid: `latitude "${r.latitude}" is not a UK latitude` }
  const longitude = ukLongitude(r.longitude)
  if (longitude === undefined) return { invalid: `longitude "${r.longitude}" is not a UK longitude` }
  return { row: { outcode, latitude, longitude } }
}

/**
 * Postcode district (outcode) centroids, the FreeMapTools-style `postcode-outcodes.csv` (header
 * `id,outcode,latitude,longitude,` with a trailing empty column). A centroid places anything in the district only
 * approximately: locations made from it are marked precision 'outcode', never 'exact'.
 */
export const outcodesSource: ImportSource<OutcodesTable> = {
  name: 'outcodes',
  description: 'Postcode district (outcode) centroids: approximate locations where the full postcode is unknown',
  layout: { kind: 'header', required: ['outcode', 'latitude', 'longitude'] },
  parse: outcodeToRow,
  key: (row) => row.outcode,
  store: (trx: AnyDb, rows) => upsertCountingChanges(trx, 'directory.outcodes', 'outcode', COLUMNS, rows),
}
