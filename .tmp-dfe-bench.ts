import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import { sql } from 'kysely'
import { runImport, type ImportSource } from './src/platform/index.ts'
import { createTestDatabase, type Dialect } from './src/platform/testing/index.ts'
import { modules } from './src/modules/registry.ts'
import { dfeKs4Source } from './src/modules/directory/performance/ks4.import.ts'
import { dfeKs5Source } from './src/modules/directory/performance/ks5.import.ts'
import { dfeCensusSource } from './src/modules/directory/performance/census.import.ts'
import { readText } from './src/platform/import/index.ts'

const D = '/work/shared/data/dfe_performance_tables/'
const cases: [string, ImportSource<any>, string, string][] = [
  ['dfe-ks4', dfeKs4Source, D + 'england_ks4provisional_2018-19__LA_lt_800.csv', 'directory.school_ks4_results'],
  ['dfe-ks5 15/16', dfeKs5Source, D + 'england_ks5final_2015-16__LA_lt_800.csv', 'directory.school_ks5_results'],
  ['dfe-ks5 16/17', dfeKs5Source, D + 'england_ks5final_2016-17__LA_lt_800.csv', 'directory.school_ks5_results'],
  ['dfe-census', dfeCensusSource, D + 'england_census_2018-19__LA_lt_800.csv', 'directory.school_census'],
]
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function bareParse(file: string) {
  const t = performance.now()
  let n = 0
  const p = readText(file, 'utf-8').pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }))
  for await (const _ of p) n++
  return { n: n - 1, ms: performance.now() - t }
}
async function parseOnly(source: ImportSource<any>, file: string) {
  // csv-parse + the source's parse(), no database
  const t = performance.now()
  let n = 0, header: string[] | undefined
  const p = readText(file, 'utf-8').pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }))
  for await (const { record, info } of p as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) { header = record.map((h) => h.trim()); continue }
    source.parse(Object.fromEntries(header.map((h, i) => [h, record[i]!])), info.lines); n++
  }
  return { n, ms: performance.now() - t }
}
const dialects = (process.argv[2] ?? 'pglite').split(',') as Dialect[]
for (const dialect of dialects) {
  const database = await createTestDatabase(dialect, modules)
  console.log(`\n== ${dialect}`)
  for (const [name, source, file, table] of cases) {
    const bare: number[] = [], parsed: number[] = [], first: number[] = [], again: number[] = []
    let rows = 0
    for (let i = 0; i < 5; i++) {
      const b = await bareParse(file); bare.push(b.n / (b.ms / 1000)); rows = b.n
      const p = await parseOnly(source, file); parsed.push(p.n / (p.ms / 1000))
      await sql.raw(`truncate ${table}`).execute(database.db)
      let t = performance.now(); await runImport(database.db, source, file); first.push(rows / ((performance.now() - t) / 1000))
      t = performance.now(); await runImport(database.db, source, file); again.push(rows / ((performance.now() - t) / 1000))
    }
    console.log(`${name.padEnd(14)} ${rows} rows: bare csv-parse ${Math.round(median(bare))}/s, csv-parse+parse() ${Math.round(median(parsed))}/s, first import ${Math.round(median(first))}/s, re-import ${Math.round(median(again))}/s`)
  }
  await database.close()
}
