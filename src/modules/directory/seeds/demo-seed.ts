import { isAbsolute, join } from 'node:path'
import type { Logger } from 'pino'
import { moduleDb, paths, runImport, type AnyDb, type ImportSource, type Seed } from '../../../platform/index.ts'
import { onspdSource, outcodesSource } from '../geography/index.ts'
import type { DirectoryTables } from '../tables.ts'
import { giasSource, odsEpraccurSource, ofstedChildcareSource } from '../import/provider-sources.ts'
import { giasLinksSource } from '../import/gias-links.ts'
import { dfeCensusSource } from '../performance/census.import.ts'
import { dfeKs4Source } from '../performance/ks4.import.ts'
import { dfeKs5Source } from '../performance/ks5.import.ts'

export const DEMO_FILES = {
  outcodes: 'postcode_outcodes/postcode-outcodes.csv',
  postcodes: 'onspd/onspd_extract_AB1_AB10_AB11_plus_nonAB.csv',
  epraccur: 'nhs_ods_epraccur/epraccur_2024-01_Y56_Y62_Y63_W00.csv',
  ofsted:
    'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
  gias: 'gias/edubasealldata_extract_2021-05_sample.csv',
  schoolLinks: 'gias/links_edubasealldata20250422_urn_lt_135000.csv',
  ks4: 'dfe_performance_tables/england_ks4provisional_2018-19__LA_lt_800.csv',
  ks5: 'dfe_performance_tables/england_ks5final_2016-17__LA_lt_800.csv',
  census: 'dfe_performance_tables/england_census_2018-19__LA_lt_800.csv',
}

export type DemoFiles = typeof DEMO_FILES

const path = (file: string) => (isAbsolute(file) ? file : join(paths.data, file))

/**
 * Demo data from real published files (data/README.md), loaded by the same importers as `openchoice import`:
 * GP practices (NHS ODS), early years providers (Ofsted) and schools (GIAS), placed exactly where the ONS Postcode
 * Directory sample knows their postcode and at their postcode district otherwise; and schools' links, results and
 * census figures from DfE, which are keyed by URN and join the schools whenever they arrive.
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
      const counts: Record<string, number> = {}
      // Places first (district centres, then exact postcodes), so providers are located as they are imported.
      // Providers last: once they are in, the seed is done (isDone), so everything before them must have loaded.
      for (const [source, file] of [
        [outcodesSource, files.outcodes],
        [onspdSource, files.postcodes],
        [giasLinksSource, files.schoolLinks],
        [dfeKs4Source, files.ks4],
        [dfeKs5Source, files.ks5],
        [dfeCensusSource, files.census],
        [odsEpraccurSource, files.epraccur],
        [ofstedChildcareSource, files.ofsted],
        [giasSource, files.gias],
      ] as const) {
        const summary = await runImport(anyDb, source as ImportSource<unknown>, path(file))
        counts[source.name] = summary.inserted + summary.updated + summary.unchanged
      }
      log.info(counts, 'demo providers loaded')
      return { rows: Object.values(counts).reduce((a, b) => a + b, 0) }
    },
  }
}

export const demoProvidersSeed = createDemoProvidersSeed()
