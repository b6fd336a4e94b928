import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse'
import { paths, runImport, type ImportSource } from '../src/platform/index.ts'
import { createTestDatabase, type Dialect } from '../src/platform/testing/index.ts'
import { modules } from '../src/modules/registry.ts'

/** One real file per importer (data/README.md), as `openchoice import <source> <file>` would be given it. */
const FILES: Record<string, string> = {
  outcodes: 'postcode_outcodes/postcode-outcodes.csv',
  onspd: 'onspd/onspd_extract_AB1_AB10_AB11_plus_nonAB.csv',
  imd2019: 'imd2019/File_2_-_IoD2019_Domains_of_Deprivation__LAD_E06_E09.csv',
  'ods-epraccur': 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv',
  'ofsted-childcare':
    'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
  gias: 'gias/edubasealldata_extract_2021-05_sample.csv',
  'dfe-ks4': 'dfe_performance_tables/england_ks4provisional_2018-19__LA_lt_800.csv',
  'dfe-ks5': 'dfe_performance_tables/england_ks5final_2016-17__LA_lt_800.csv',
  'dfe-census': 'dfe_performance_tables/england_census_2018-19__LA_lt_800.csv',
  'gias-links': 'gias/links_edubasealldata20250422_urn_lt_135000.csv',
}

export interface ImportRate {
  source: string
  rows: number
  bareRowsPerSecond: number
  importRowsPerSecond: number
  ratio: number
}

async function bareParse(file: string): Promise<{ rows: number; seconds: number }> {
  const started = performance.now()
  let rows = 0
  for await (const _ of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) rows++
  return { rows, seconds: (performance.now() - started) / 1000 }
}

/**
 * Each importer's rows per second on its real sample, into a fresh database, against a bare csv-parse of the same
 * file in the same run (the goal: at least half the bare parse rate).
 */
export async function measureImports(dialect: Dialect): Promise<ImportRate[]> {
  const sources = modules.flatMap((m) => m.importSources ?? []) as ImportSource<unknown>[]
  const rates: ImportRate[] = []
  for (const source of sources) {
    const relative = FILES[source.name]
    if (!relative) continue
    const file = join(paths.data, relative)
    await bareParse(file) // warm the file cache
    const bare = await bareParse(file)
    const database = await createTestDatabase(dialect, modules)
    try {
      const started = performance.now()
      const summary = await runImport(database.db, source, file)
      const seconds = (performance.now() - started) / 1000
      const bareRate = bare.rows / bare.seconds
      const importRate = summary.records / seconds
      rates.push({
        source: source.name,
        rows: summary.records,
        bareRowsPerSecond: Math.round(bareRate),
        importRowsPerSecond: Math.round(importRate),
        ratio: Number((importRate / bareRate).toFixed(2)),
      })
      process.stderr.write(
        `  import ${source.name}: ${Math.round(importRate)} rows/s (bare parse ${Math.round(bareRate)})\n`,
      )
    } finally {
      await database.close()
    }
  }
  return rates
}

export function formatImportTable(label: string, rates: ImportRate[]): string {
  const lines = [
    `| importer (${label}) | rows | bare parse rows/s | import rows/s | ratio |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rates.map((r) => `| ${r.source} | ${r.rows} | ${r.bareRowsPerSecond} | ${r.importRowsPerSecond} | ${r.ratio} |`),
  ]
  return lines.join('\n')
}
