import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DirectoryTables } from '../tables.ts'

/** A point to search around. */
export interface Point {
  latitude: number
  longitude: number
}

const EARTH_KM = 6371
const KM_PER_DEGREE_OF_LATITUDE = 111.2

/** Great-circle distance in kilometres from a point to the coordinates of the location aliased `alias` (haversine). */
export function distanceKmTo(p: Point, alias: string): RawBuilder<number> {
  const latitude = sql.ref(`${alias}.latitude`)
  const longitude = sql.ref(`${alias}.longitude`)
  return sql<number>`${EARTH_KM * 2} * asin(sqrt(
    power(sin(radians(${latitude} - ${p.latitude}) / 2), 2) +
    cos(radians(${p.latitude})) * cos(radians(${latitude})) * power(sin(radians(${longitude} - ${p.longitude}) / 2), 2)))`
}

/** The same distance between two points already in hand (a few providers on one page), in JavaScript. */
export function distanceKmBetween(a: Point, b: Point): number {
  const rad = (deg: number) => (deg * Math.PI) / 180
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2
  return EARTH_KM * 2 * Math.asin(Math.sqrt(h))
}

/**
 * Every location within `radiusKm` of the point, with its `distance_km`, nearest first. A bounding box on the
 * indexed coordinates narrows the rows before the exact distance is computed. The `offset 0` keeps PostgreSQL from
 * merging this into the query that joins it: the locations are sorted once, and a page of services joined to them
 * in that order stops after the page instead of joining every location in the circle first.
 */
export function locationsWithin(db: Kysely<DirectoryTables>, p: Point, radiusKm: number) {
  const dLat = radiusKm / KM_PER_DEGREE_OF_LATITUDE
  const dLon = radiusKm / (KM_PER_DEGREE_OF_LATITUDE * Math.max(0.01, Math.cos((p.latitude * Math.PI) / 180)))
  const distance = distanceKmTo(p, 'near')
  return db
    .selectFrom('directory.locations as near')
    .selectAll('near')
    .select(distance.as('distance_km'))
    .where('near.latitude', '>=', p.latitude - dLat)
    .where('near.latitude', '<=', p.latitude + dLat)
    .where('near.longitude', '>=', p.longitude - dLon)
    .where('near.longitude', '<=', p.longitude + dLon)
    .where(distance, '<=', radiusKm)
    .orderBy('distance_km')
    .orderBy('near.id')
    .offset(0)
}
