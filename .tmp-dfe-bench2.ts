import { parse } from 'csv-parse'
import { readText } from './src/platform/import/index.ts'
import { dfeCensusSource } from './src/modules/directory/performance/census.import.ts'
import { dfeKs5Source } from './src/modules/directory/performance/ks5.import.ts'
const D = '/work/shared/data/dfe_performance_tables/'
for (const [file, src] of [[D + 'england_census_2018-19__LA_lt_800.csv', dfeCensusSource], [D + 'england_ks5final_2016-17__LA_lt_800.csv', dfeKs5Source]] as const) {
  const recs: Record<string, string>[] = []
  let header: string[] | undefined
  for (let k = 0; k < 3; k++) {
    recs.length = 0; header = undefined
    const t = performance.now()
    const p = readText(file, 'utf-8').pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }))
    for await (const { record } of p as AsyncIterable<{ record: string[] }>) {
      if (!header) { header = record; continue }
      recs.push(Object.fromEntries(header.map((h, i) => [h, record[i]!])))
    }
    const t2 = performance.now()
    for (let i = 0; i < recs.length; i++) (src as any).parse(recs[i], i)
    const t3 = performance.now()
    console.log(file.slice(-40), recs.length, 'csv-parse+fromEntries', Math.round(recs.length / ((t2 - t) / 1000)), '/s; parse() alone', Math.round(recs.length / ((t3 - t2) / 1000)), '/s')
  }
}
