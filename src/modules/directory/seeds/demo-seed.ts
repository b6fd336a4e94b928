import { createReadStream } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { parse } from 'csv-parse'
import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import { moduleDb, paths, type AnyDb, type Seed } from '../../../platform/index.ts'
import type { DirectoryTables } from '../tables.ts'
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

async function upsertProviders(db: Kysely<DirectoryTables>, rows: ProviderInput[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('directory.providers')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['source', 'source_ref']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        provider_type: eb.ref('excluded.provider_type'),
        address: eb.ref('excluded.address'),
        town: eb.ref('excluded.town'),
        postcode: eb.ref('excluded.postcode'),
        outcode: eb.ref('excluded.outcode'),
        la_name: eb.ref('excluded.la_name'),
        status: eb.ref('excluded.status'),
        regulator: eb.ref('excluded.regulator'),
        rating: eb.ref('excluded.rating'),
        rating_date: eb.ref('excluded.rating_date'),
        opened_on: eb.ref('excluded.opened_on'),
        closed_on: eb.ref('excluded.closed_on'),
        places: eb.ref('excluded.places'),
        telephone: eb.ref('excluded.telephone'),
        source_file: eb.ref('excluded.source_file'),
      })),
    )
    .execute()
}

async function loadProviders(
  db: Kysely<DirectoryTables>,
  file: string,
  columns: boolean,
  toProvider: (r: never, sourceFile: string) => ProviderInput | null,
): Promise<number> {
  let batch: ProviderInput[] = []
  let count = 0
  for await (const record of csvRecords(file, columns)) {
    const provider = toProvider(record as never, basename(file))
    if (!provider) continue
    batch.push(provider)
    count++
    if (batch.length === BATCH) {
      await upsertProviders(db, batch)
      batch = []
    }
  }
  await upsertProviders(db, batch)
  return count
}

async function loadOutcodes(db: Kysely<DirectoryTables>, file: string): Promise<number> {
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
  return rows.length
}

/** Places each provider at its postcode district's centroid, marked approximate. */
async function geocodeByOutcode(db: Kysely<DirectoryTables>): Promise<void> {
  await sql`
    update directory.providers p
       set latitude = o.latitude, longitude = o.longitude, location_precision = 'outcode'
      from directory.outcodes o
     where o.outcode = p.outcode and (p.location_precision is null or p.location_precision = 'outcode')`.execute(db)
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
      return moduleDb<DirectoryTables>(anyDb)
        .transaction()
        .execute(async (trx) => {
          const outcodes = await loadOutcodes(trx, files.outcodes)
          const gps = await loadProviders(trx, files.epraccur, false, epraccurToProvider)
          const childcare = await loadProviders(trx, files.ofsted, true, ofstedToProvider)
          const schools = await loadProviders(trx, files.gias, true, giasToProvider)
          await geocodeByOutcode(trx)
          log.info({ outcodes, gps, childcare, schools }, 'demo providers loaded')
          return { rows: outcodes + gps + childcare + schools }
        })
    },
  }
}

export const demoProvidersSeed = createDemoProvidersSeed()
