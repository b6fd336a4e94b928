// Every open-data file the feedback module publishes, in one list: the routes are built from it, and a test walks it
// to prove that each row of each file came through disclose().
import { NotFoundError, type AnyDb } from '../../platform/index.ts'
import { dataPackage, METADATA_PATH, publicationCsv, publicationJson } from './open-data.ts'
import { addMonths, isMonth, monthOf, type Month } from './period.ts'
import { cachedPublication, type PublishedFigures } from './publication.service.ts'

/** A file of figures: where it is, which month it is for, and how its rows are written. */
export interface FiguresOutput {
  path: string
  type: string
  /** The month the file is for, from the address; NotFoundError for a month not yet complete or not a month. */
  monthFor(params: Record<string, string>, now: Date): Month
  write(rows: readonly PublishedFigures[], month: Month, now: Date): string
}

/** The latest complete month: the one before `now`'s (months are published once they are over). */
export const latestMonth = (now: Date): Month => addMonths(monthOf(now), -1)

function monthParam(params: Record<string, string>, now: Date): Month {
  const month = params.month ?? ''
  if (!isMonth(month) || month > latestMonth(now)) throw new NotFoundError('open-data')
  return month
}

const CSV = 'text/csv; charset=utf-8; header=present'
const JSON_TYPE = 'application/json; charset=utf-8'
const csv: FiguresOutput['write'] = (rows) => publicationCsv(rows)
const json: FiguresOutput['write'] = (rows, month, now) => publicationJson(rows, month, now)

export const FIGURES_OUTPUTS: readonly FiguresOutput[] = [
  { path: '/open-data/feedback.csv', type: CSV, monthFor: (_p, now) => latestMonth(now), write: csv },
  { path: '/open-data/feedback.json', type: JSON_TYPE, monthFor: (_p, now) => latestMonth(now), write: json },
  // Stable addresses: a month's file stays where it is (its figures change only if counts for it arrive late).
  { path: '/open-data/feedback/:month.csv', type: CSV, monthFor: monthParam, write: csv },
  { path: '/open-data/feedback/:month.json', type: JSON_TYPE, monthFor: monthParam, write: json },
]

/** The metadata file: no figures, only what the columns, method, suppression and licence are. */
export const METADATA_OUTPUT = {
  path: METADATA_PATH,
  type: JSON_TYPE,
  write: (publicUrl: string) => JSON.stringify(dataPackage(publicUrl), null, 2),
}

/** The rows of one figures file: the monthly publication (kept a few minutes), every figure made by disclose(). */
export async function rowsOf(
  db: AnyDb,
  output: FiguresOutput,
  params: Record<string, string>,
  now: Date,
): Promise<{ month: Month; rows: PublishedFigures[] }> {
  const month = output.monthFor(params, now)
  return { month, rows: await cachedPublication(db, month) }
}
