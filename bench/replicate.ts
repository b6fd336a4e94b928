import { sql } from 'kysely'
import type { AnyDb } from '../src/platform/index.ts'

/**
 * Grows the directory to national size for the bench: copies of the real seeded services, each with a new id, at a
 * location moved up to about 30 km from the original (so the copies spread over the country rather than stack up),
 * with its registration. Run once, after the seed; returns how many locations there are.
 */
export async function replicateLocations(db: AnyDb, target: number): Promise<number> {
  const count = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from directory.locations`.execute(db)).rows[0]!.n
  const have = await count()
  if (have >= target) return have
  const copies = Math.ceil((target - have) / have)
  await db.transaction().execute(async (trx) => {
    await sql`create temporary table bench_copies on commit drop as
      select s.id as from_service, sal.location_id as from_location, n,
        gen_random_uuid() as service_id, gen_random_uuid() as location_id
      from directory.services s
      join directory.service_at_locations sal on sal.service_id = s.id
      cross join generate_series(1, ${copies}) as n`.execute(trx)
    await sql`insert into directory.locations (id, address, town, postcode, outcode, latitude, longitude, precision,
        la_code, la_name, lsoa_code)
      select c.location_id, l.address, l.town, l.postcode, l.outcode,
        l.latitude + (random() - 0.5) * 0.6, l.longitude + (random() - 0.5) * 0.9, l.precision,
        l.la_code, l.la_name, l.lsoa_code
      from bench_copies c join directory.locations l on l.id = c.from_location`.execute(trx)
    await sql`insert into directory.services (id, organisation_id, source, source_ref, name, framework, service_type,
        status, places, telephone, opened_on, closed_on, source_file, imported_at)
      select c.service_id, s.organisation_id, s.source, s.source_ref || '-copy-' || c.n, s.name, s.framework,
        s.service_type, s.status, s.places, s.telephone, s.opened_on, s.closed_on, s.source_file, s.imported_at
      from bench_copies c join directory.services s on s.id = c.from_service`.execute(trx)
    await sql`insert into directory.service_at_locations (service_id, location_id)
      select service_id, location_id from bench_copies`.execute(trx)
    await sql`insert into directory.registrations (service_id, regulator, regulator_ref, status, rating, rating_date,
        rated_by, source_file)
      select c.service_id, r.regulator, r.regulator_ref, r.status, r.rating, r.rating_date, r.rated_by, r.source_file
      from bench_copies c join directory.registrations r on r.service_id = c.from_service`.execute(trx)
  })
  await sql`analyze`.execute(db)
  return count()
}
