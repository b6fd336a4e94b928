import { createReadStream } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { parse } from 'csv-parse'
import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import { moduleDb, paths, type AnyDb, type Seed } from '../../../platform/index.ts'
import type { DirectoryTables } from '../tables.ts'
import { forgetProviderCounts } from '../providers.service.ts'
import { epraccurToProvider, giasToProvider, ofstedToProvider, type ProviderInput } from './demo-rows.ts'

const BATCH = 500

export const DEMO_FILES = {
  outcodes: 'postcode_outcodes/postcode-outcodes.csv',
  epraccur: 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv',
  ofsted:
    'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
  gias: 'gias/edubasealldata_extract_2021-05_sample.csv',
}

export type DemoFiles = typeof DEMO_FILES

async function* csvRecords(file: string, columns: boolean): AsyncGenerator<string[] | Record<string, string>> {
  const parser = createReadStream(isAbsolute(file) ? file : join(paths.data, file)).pipe(
    parse({ columns, bom: true, relax_column_count: false }),
  )
  for await (const record of parser) yield record
}

/** Columns a newer file may change; the unique key (source, source_ref) and the id never change. */
const UPDATABLE = [
  'name',
  'provider_type',
  'address',
  'town',
  'postcode',
  'outcode',
  'la_name',
  'latitude',
  'longitude',
  'location_precision',
  'status',
  'regulator',
  'rating',
  'rating_date',
  'opened_on',
  'closed_on',
  'places',
  'telephone',
  'source_file',
] as const

/** Inserts new providers and updates changed ones; an unchanged row is not rewritten at all. */
async function upsertProviders(db: Kysely<DirectoryTables>, rows: ProviderInput[]): Promise<void> {
  if (rows.length === 0) return
  const current = sql.join(UPDATABLE.map((c) => sql.ref(`directory.providers.${c}`)))
  const incoming = sql.join(UPDATABLE.map((c) => sql.ref(`excluded.${c}`)))
  await db
    .insertInto('directory.providers')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['source', 'source_ref'])
        .doUpdateSet(Object.fromEntries(UPDATABLE.map((c) => [c, sql.ref(`excluded.${c}`)])))
        .where(sql<boolean>`(${current}) is distinct from (${incoming})`),
    )
    .execute()
}

type Centroids = Map<string, { latitude: number; longitude: number }>

/** Places a provider at its postcode district's centroid, marked approximate. */
function locateByOutcode(p: ProviderInput, centroids: Centroids): ProviderInput {
  const c = p.outcode ? centroids.get(p.outcode) : undefined
  return c ? { ...p, latitude: c.latitude, longitude: c.longitude, location_precision: 'outcode' } : p
}

async function loadProviders(
  db: Kysely<DirectoryTables>,
  file: string,
  columns: boolean,
  toProvider: (r: never, sourceFile: string) => ProviderInput | null,
  centroids: Centroids,
): Promise<number> {
  let batch: ProviderInput[] = []
  let count = 0
  for await (const record of csvRecords(file, columns)) {
    const provider = toProvider(record as never, basename(file))
    if (!provider) continue
    batch.push(locateByOutcode(provider, centroids))
    count++
    if (batch.length === BATCH) {
      await upsertProviders(db, batch)
      batch = []
    }
  }
  await upsertProviders(db, batch)
  return count
}

async function loadOutcodes(db: Kysely<DirectoryTables>, file: string): Promise<Centroids> {
  const rows: { outcode: string; latitude: number; longitude: number }[] = []
  for await (const r of csvRecords(file, false)) {
    const [, outcode, lat, long] = r as string[]
    if (outcode && lat && long && Number.isFinite(+lat) && Number.isFinite(+long))
      rows.push({ outcode, latitude: +lat, longitude: +long })
  }
  for (let i = 0; i < rows.length; i += BATCH) {
    await db
      .insertInto('directory.outcodes')
      .values(rows.slice(i, i + BATCH))
      .onConflict((oc) =>
        oc
          .column('outcode')
          .doUpdateSet((eb) => ({ latitude: eb.ref('excluded.latitude'), longitude: eb.ref('excluded.longitude') })),
      )
      .execute()
  }
  return new Map(rows.map((r) => [r.outcode, r]))
}

/**
 * Demo data from real published files (data/README.md): GP practices (NHS ODS), early years providers
 * (Ofsted) and schools (GIAS), located by postcode district. Idempotent: a second run changes nothing.
 * All in one transaction: a bad file or a crash part way through leaves the database as it was.
 */
export function createDemoProvidersSeed(files: DemoFiles = DEMO_FILES): Seed {
  return {
    name: 'directory: demo providers from open data',
    async isDone(anyDb: AnyDb) {
      const db = moduleDb<DirectoryTables>(anyDb)
      const row = await db
        .selectFrom('directory.providers')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
      return row.n > 0
    },
    async run(anyDb: AnyDb, log: Logger) {
      const result = await moduleDb<DirectoryTables>(anyDb)
        .transaction()
        .execute(async (trx) => {
          const centroids = await loadOutcodes(trx, files.outcodes)
          const gps = await loadProviders(trx, files.epraccur, false, epraccurToProvider, centroids)
          const childcare = await loadProviders(trx, files.ofsted, true, ofstedToProvider, centroids)
          const schools = await loadProviders(trx, files.gias, true, giasToProvider, centroids)
          log.info({ outcodes: centroids.size, gps, childcare, schools }, 'demo providers loaded')
          return { rows: centroids.size + gps + childcare + schools }
        })
      // Fresh planner statistics, so the first searches use the indexes.
      await sql`analyze directory.providers`.execute(anyDb)
      forgetProviderCounts(anyDb)
      return result
    },
  }
}

export const demoProvidersSeed = createDemoProvidersSeed()
