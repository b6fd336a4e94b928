import { createReadStream } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { parse } from 'csv-parse'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import { moduleDb, paths, runImport, type AnyDb, type Seed } from '../../../platform/index.ts'
import type { DirectoryTables } from '../tables.ts'
import { giasSource, odsEpraccurSource, ofstedChildcareSource } from '../import/provider-sources.ts'

const BATCH = 500

export const DEMO_FILES = {
  outcodes: 'postcode_outcodes/postcode-outcodes.csv',
  epraccur: 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv',
  ofsted:
    'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
  gias: 'gias/edubasealldata_extract_2021-05_sample.csv',
}

export type DemoFiles = typeof DEMO_FILES

async function* csvRecords(file: string): AsyncGenerator<string[]> {
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: false }))
  for await (const record of parser) yield record
}

async function loadOutcodes(db: Kysely<DirectoryTables>, file: string): Promise<number> {
  const rows: { outcode: string; latitude: number; longitude: number }[] = []
  for await (const r of csvRecords(file)) {
    const [, outcode, lat, long] = r
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

const path = (file: string) => (isAbsolute(file) ? file : join(paths.data, file))

/**
 * Demo data from real published files (data/README.md), loaded by the same importers as `openchoice import`:
 * GP practices (NHS ODS), early years providers (Ofsted) and schools (GIAS), placed by postcode district.
 * Idempotent: a second run changes nothing. Each file is all or nothing.
 */
export function createDemoProvidersSeed(files: DemoFiles = DEMO_FILES): Seed {
  return {
    name: 'directory: demo providers from open data',
    // Done once every demo source has providers: a file that failed is tried again at the next start.
    async isDone(anyDb: AnyDb) {
      const rows = await moduleDb<DirectoryTables>(anyDb)
        .selectFrom('directory.services')
        .select('source')
        .distinct()
        .execute()
      const loaded = new Set(rows.map((r) => r.source))
      return [odsEpraccurSource, ofstedChildcareSource, giasSource].every((s) => loaded.has(s.name))
    },
    async run(anyDb: AnyDb, log: Logger) {
      const outcodes = await moduleDb<DirectoryTables>(anyDb)
        .transaction()
        .execute((trx) => loadOutcodes(trx, path(files.outcodes)))
      const counts: Record<string, number> = { outcodes }
      for (const [source, file] of [
        [odsEpraccurSource, files.epraccur],
        [ofstedChildcareSource, files.ofsted],
        [giasSource, files.gias],
      ] as const) {
        const summary = await runImport(anyDb, source, path(file))
        counts[source.name] = summary.inserted + summary.updated + summary.unchanged
      }
      log.info(counts, 'demo providers loaded')
      return { rows: Object.values(counts).reduce((a, b) => a + b, 0) }
    },
  }
}

export const demoProvidersSeed = createDemoProvidersSeed()
