// Every open-data file the feedback module publishes, in one list: the routes are built from it, and a test walks it
// to prove that each row of each file came through disclose().
import { NotFoundError, type AnyDb } from '../../platform/index.ts'
import {
  dataPackage,
  METADATA_PATH,
  RESPONSE_TIMES_TABLE,
  SATISFACTION_TABLE,
  tableCsv,
  tableJson,
  type PublishedTable,
} from './open-data.ts'
import { addMonths, isMonth, monthOf, type Month } from './period.ts'
import { cachedPublication } from './publication.service.ts'
import { cachedResponseTimes } from './response-times.service.ts'

/** A file of figures: where it is, which month it is for, and how it is made. */
export interface FiguresOutput {
  path: string
  type: string
  /** Its resource in the Data Package, whose schema the file validates against. */
  resource: string
  /** The name a download is saved under. */
  fileName(month: Month): string
  /** The month the file is for, from the address; NotFoundError for a month not yet complete or not a month. */
  monthFor(params: Record<string, string>, now: Date): Month
  /**
   * The file for a month, and the figures each of its rows carries (one list per row, in order), so that a test can
   * prove every row came through disclose().
   */
  make(db: AnyDb, month: Month, now: Date): Promise<{ body: string; disclosed: object[][] }>
}

/** The latest complete month: the one before `now`'s (months are published once they are over). */
export const latestMonth = (now: Date): Month => addMonths(monthOf(now), -1)

function monthParam(params: Record<string, string>, now: Date): Month {
  const month = params.month ?? ''
  if (!isMonth(month) || month > latestMonth(now)) throw new NotFoundError('open-data')
  return month
}

const TYPES = { csv: 'text/csv; charset=utf-8; header=present', json: 'application/json; charset=utf-8' } as const

/** A published table's four files: the latest month and each month (stable addresses), as CSV and as JSON. */
function outputsOf<R>(
  table: PublishedTable<R>,
  rowsFor: (db: AnyDb, month: Month) => Promise<R[]>,
  disclosedIn: (row: R) => object[],
): FiguresOutput[] {
  const latest = (_p: Record<string, string>, now: Date) => latestMonth(now)
  // A month's file stays where it is (its figures change only if counts for it arrive late).
  const files = [
    ['', latest],
    ['/:month', monthParam],
  ] as const
  return files.flatMap(([month, monthFor]) =>
    (['csv', 'json'] as const).map((format) => ({
      path: `${table.path}${month}.${format}`,
      type: TYPES[format],
      resource: `${table.name}-${format}`,
      fileName: (m: Month) => `openchoice-${table.name}-${m}.${format}`,
      monthFor,
      async make(db: AnyDb, m: Month, now: Date) {
        const rows = await rowsFor(db, m)
        const body = format === 'csv' ? tableCsv(table, rows) : tableJson(table, rows, m, now)
        return { body, disclosed: rows.map(disclosedIn) }
      },
    })),
  )
}

/** Every file of figures: satisfaction (with its LA and England references) and response times. */
export const FIGURES_OUTPUTS: readonly FiguresOutput[] = [
  ...outputsOf(SATISFACTION_TABLE, cachedPublication, (r) =>
    [r.figures, r.localAuthority?.figures, r.england?.figures].filter((f) => f !== undefined),
  ),
  ...outputsOf(RESPONSE_TIMES_TABLE, cachedResponseTimes, (r) => [r.figures]),
]

/** The metadata file: no figures, only what the columns, method, suppression and licence are. */
export const METADATA_OUTPUT = {
  path: METADATA_PATH,
  type: TYPES.json,
  write: (publicUrl: string) => JSON.stringify(dataPackage(publicUrl), null, 2),
}

/** One figures file at its address: the month it is for, its body, and the figures in its rows. */
export async function fileOf(db: AnyDb, output: FiguresOutput, params: Record<string, string>, now: Date) {
  const month = output.monthFor(params, now)
  return { month, ...(await output.make(db, month, now)) }
}
