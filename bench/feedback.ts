// The monthly feedback publication at national size, on PostgreSQL: N individual responses (10 million by default)
// aggregated into the publication, against a bare GROUP BY count over the same table in the same run.
// Run alone: BENCH_DATABASE_URL=postgres://… BENCH_FEEDBACK_RESPONSES=20000 npx tsx bench/feedback.ts
import { sql } from 'kysely'
import { createTestDatabase } from '../src/platform/testing/index.ts'
import type { AnyDb } from '../src/platform/index.ts'
import { modules } from '../src/modules/registry.ts'
import { monthlyPublication } from '../src/modules/feedback/publication.service.ts'
import { selectCountsByServiceMonthAndMode } from '../src/modules/feedback/publication.queries.ts'

export interface FeedbackBench {
  responses: number
  services: number
  rows: number
  generateSeconds: number
  bareSeconds: number
  /** The publication's one SQL scan alone (responses and uploads per service, month and mode). */
  aggregationSeconds: number
  /** All of it: the scan, a directory lookup per service, LA and England sums, disclose() for every figure. */
  publicationSeconds: number
  ratio: number
}

const MONTH = '2025-12' // the publication's month; responses fall in the 12 months to it

/**
 * One provider per service in the directory (a bench harness may write another module's tables, as test factories
 * do), spread over 150 local authorities and 4 service types, so the publication looks each one up as it would.
 */
async function listServices(db: AnyDb, n: number): Promise<void> {
  await sql`
    with org as (
      insert into directory.organisations (name) select 'Bench provider ' || i from generate_series(1, ${n}::int) i
      returning id, name
    ), loc as (
      insert into directory.locations (address, la_name)
      select 'Bench ' || i, 'Bench LA ' || (i % 150) from generate_series(1, ${n}::int) i returning id, address
    ), svc as (
      insert into directory.services (organisation_id, source, source_ref, name, framework, service_type, status, source_file)
      select id, 'bench', substr(name, 16), name, 'nhs-care', 'Bench type ' || (substr(name, 16)::int % 4), 'active', 'bench'
      from org returning id, source_ref
    )
    insert into directory.service_at_locations (service_id, location_id)
    select svc.id, loc.id from svc join loc on loc.address = 'Bench ' || svc.source_ref`.execute(db)
}

/** N responses in one statement: each service, month, answer (skewed positive, as FFT results are) and mode. */
async function generateResponses(db: AnyDb, n: number): Promise<void> {
  await sql`
    with s as (select array_agg(id order by id) as ids, count(*)::int as n from directory.services)
    insert into feedback.responses (service_id, period, answer, mode, once_key, submitted_at)
    select s.ids[1 + g % s.n],
           (${MONTH + '-01'}::date - make_interval(months => (g / s.n) % 12))::date,
           case when h < 50 then 'very-good' when h < 80 then 'good' when h < 87 then 'neither'
                when h < 93 then 'poor' when h < 97 then 'very-poor' else 'dont-know' end,
           case when g % 10 = 0 then 'paper' else 'online' end,
           'bench:' || g,
           now()
      from s, generate_series(1, ${n}::int) g, lateral (select (g::bigint * 7919) % 100 as h) x`.execute(db)
  await sql`analyze feedback.responses`.execute(db)
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}

/** Best of two runs each, alternating, so neither gets the warmer cache. */
export async function measureFeedbackPublication(responses: number, services = 5000): Promise<FeedbackBench> {
  const database = await createTestDatabase('postgres', modules)
  const db = database.db
  try {
    await listServices(db, services)
    const generateSeconds = await seconds(() => generateResponses(db, responses))
    process.stderr.write(`  feedback: ${responses} responses generated in ${generateSeconds.toFixed(1)} s\n`)
    const bare = () =>
      sql`select service_id, period, count(*) from feedback.responses group by service_id, period`.execute(db)
    let rows = 0
    const publish = async () => (rows = (await monthlyPublication(db, MONTH)).length)
    const aggregate = () => selectCountsByServiceMonthAndMode(db, '2025-01', MONTH)
    const times = { bare: Infinity, aggregation: Infinity, publication: Infinity }
    for (let i = 0; i < 2; i++) {
      times.bare = Math.min(times.bare, await seconds(bare))
      times.aggregation = Math.min(times.aggregation, await seconds(aggregate))
      times.publication = Math.min(times.publication, await seconds(publish))
    }
    const ratio = Number((times.publication / times.bare).toFixed(2))
    process.stderr.write(
      `  feedback: bare GROUP BY ${times.bare.toFixed(2)} s, its SQL aggregation ${times.aggregation.toFixed(2)} s, publication ${times.publication.toFixed(2)} s (${rows} rows), ratio ${ratio}\n`,
    )
    return {
      responses,
      services,
      rows,
      generateSeconds: Number(generateSeconds.toFixed(1)),
      bareSeconds: Number(times.bare.toFixed(2)),
      aggregationSeconds: Number(times.aggregation.toFixed(2)),
      publicationSeconds: Number(times.publication.toFixed(2)),
      ratio,
    }
  } finally {
    await database.close()
  }
}

export function formatFeedbackTable(b: FeedbackBench): string {
  return [
    '| feedback publication (PostgreSQL) | responses | services | rows | bare GROUP BY s | SQL aggregation s | publication s | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| month ${MONTH} and rolling year | ${b.responses} | ${b.services} | ${b.rows} | ${b.bareSeconds} | ${b.aggregationSeconds} | ${b.publicationSeconds} | ${b.ratio} |`,
  ].join('\n')
}

// Run on its own (not imported by run.ts): a small size tests the code path without the 10 million.
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_DATABASE_URL
  if (!url) throw new Error('BENCH_DATABASE_URL is not set: the feedback benchmark runs on PostgreSQL only')
  process.env.TEST_DATABASE_URL = url
  const n = Number(process.env.BENCH_FEEDBACK_RESPONSES ?? 10_000_000)
  const services = Number(process.env.BENCH_FEEDBACK_SERVICES ?? 5000)
  measureFeedbackPublication(n, services).then((b) => console.log(formatFeedbackTable(b)))
}
