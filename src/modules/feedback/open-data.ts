// The feedback open data: its columns (one list drives the CSV, the JSON and the metadata), the files, and the
// Frictionless Data Package that describes them. Figures reach these writers only as disclose() made them.
import { CHOICE_FRAMEWORKS } from '../directory/index.ts'
import { COLLECTION_MODES } from './collection.ts'
import { MINIMUM_RESPONSES, ROUND_TO, SUPPRESS_UP_TO, SUPPRESSED, type DisclosedFigures } from './disclosure.ts'
import { PERIOD_KINDS, type PublishedFigures, type Reference } from './publication.service.ts'
import type { PublishedResponseTimes } from './response-times.service.ts'
import { FFT_ANSWERS, PERCENTAGE_DENOMINATOR, Z_95 } from './statistics.ts'
import { ANSWER_COLUMNS } from './tables.ts'

export const LICENCE = {
  name: 'OGL-UK-3.0',
  title: 'Open Government Licence v3.0',
  path: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
} as const

type Value = string | number | null
/** Frictionless Table Schema field types used here ('yearmonth' is YYYY-MM). */
export type FieldType = 'string' | 'integer' | 'number' | 'yearmonth'

/** A column of a published table of rows R: its Table Schema field, and how a row gives its value. */
export interface Column<R = PublishedFigures> {
  name: string
  type: FieldType
  description: string
  required: boolean
  enum?: readonly string[]
  value: (row: R) => Value
}

const COMPARISONS = ['better', 'worse', 'similar'] as const

const col = <R = PublishedFigures>(
  name: string,
  type: FieldType,
  description: string,
  value: Column<R>['value'],
  extra: { required?: boolean; enum?: readonly string[] } = {},
): Column<R> => ({ name, type, description, value, required: false, ...extra })

/** The percentage columns of one measure of one set of figures (the provider's, its LA's or England's). */
function measureColumns(prefix: string, whose: string, figures: (r: PublishedFigures) => DisclosedFigures | undefined) {
  return (['positive', 'negative'] as const).flatMap((m) => {
    const p = (r: PublishedFigures) => figures(r)?.[m].percentage
    const what = m === 'positive' ? 'positive (Very good + Good)' : 'negative (Poor + Very poor)'
    return [
      col(
        `${prefix}${m}_percent`,
        'number',
        `Percentage ${what} for ${whose}, one decimal place`,
        (r) => p(r)?.percent ?? null,
      ),
      col(
        `${prefix}${m}_ci_low`,
        'number',
        `Lower bound of its Wilson 95% confidence interval`,
        (r) => p(r)?.low ?? null,
      ),
      col(
        `${prefix}${m}_ci_high`,
        'number',
        `Upper bound of its Wilson 95% confidence interval`,
        (r) => p(r)?.high ?? null,
      ),
    ]
  })
}

/** The columns of a reference area: its responses, percentages and how the provider compares with it. */
function referenceColumns(prefix: string, whose: string, pick: (r: PublishedFigures) => Reference | null) {
  return [
    col(`${prefix}responses`, 'integer', `Total responses for ${whose}`, (r) => pick(r)?.figures.responses ?? null),
    ...measureColumns(prefix, whose, (r) => pick(r)?.figures),
    ...(['positive', 'negative'] as const).map((m) =>
      col(
        `${m}_vs_${prefix.slice(0, -1)}`,
        'string',
        `The provider's percentage ${m} against ${whose}: better or worse only where the two 95% intervals do not overlap, otherwise similar; empty where either percentage is not published`,
        (r) => pick(r)?.[m] ?? null,
        { enum: COMPARISONS },
      ),
    ),
  ]
}

/** The provider and period columns every published table starts with. */
function providerColumns<R extends Pick<PublishedFigures, 'provider' | 'period'>>(): Column<R>[] {
  return [
    col<R>('service_id', 'string', 'OpenChoice id of the service (as /providers/{id})', (r) => r.provider.id, {
      required: true,
    }),
    col<R>('provider_name', 'string', "The service's name in the OpenChoice directory", (r) => r.provider.name, {
      required: true,
    }),
    col<R>('organisation_name', 'string', 'The organisation that runs it', (r) => r.provider.organisation, {
      required: true,
    }),
    col<R>('framework', 'string', 'Choice Framework', (r) => r.provider.framework, {
      required: true,
      enum: CHOICE_FRAMEWORKS,
    }),
    col<R>(
      'service_type',
      'string',
      'Type of service, as the directory names it; England and LA figures are for this type in this framework',
      (r) => r.provider.serviceType,
      { required: true },
    ),
    col<R>(
      'local_authority',
      'string',
      'The local authority the directory gives for the provider (its name); empty where it has none',
      (r) => r.provider.localAuthority,
    ),
    col<R>(
      'period',
      'string',
      'month: one calendar month; rolling-12-months: the 12 months to period_end',
      (r) => r.period.kind,
      { required: true, enum: PERIOD_KINDS },
    ),
    col<R>('period_start', 'yearmonth', 'First month of the period (YYYY-MM)', (r) => r.period.from, {
      required: true,
    }),
    col<R>('period_end', 'yearmonth', 'Last month of the period (YYYY-MM)', (r) => r.period.to, { required: true }),
  ]
}

/** Every column of the satisfaction CSV and JSON files, in order. */
export const COLUMNS: readonly Column[] = [
  ...providerColumns<PublishedFigures>(),
  col(
    'collection_modes',
    'string',
    `How the responses were collected, separated by semicolons (${COLLECTION_MODES.join(', ')}); figures from different modes are not comparable`,
    (r) => r.modes.join(';'),
    { required: true },
  ),
  col(
    'responses',
    'integer',
    'Total responses (all six answers), rounded to the nearest 5',
    (r) => r.figures.responses,
    { required: true },
  ),
  ...FFT_ANSWERS.map((a) =>
    col(
      ANSWER_COLUMNS[a],
      'integer',
      `Responses answering ${a}; "suppressed" for 1 to ${SUPPRESS_UP_TO}, otherwise rounded to the nearest ${ROUND_TO}`,
      (r) => r.figures.counts[a],
    ),
  ),
  col(
    'positive_count',
    'integer',
    'Very good + Good, suppressed or rounded as the answers are',
    (r) => r.figures.positive.count,
  ),
  col(
    'negative_count',
    'integer',
    'Poor + Very poor, suppressed or rounded as the answers are',
    (r) => r.figures.negative.count,
  ),
  ...measureColumns('', 'the provider', (r) => r.figures),
  ...referenceColumns('la_', 'all providers of the same type in the same local authority', (r) => r.localAuthority),
  ...referenceColumns('england_', 'all providers of the same type in England (exact counts)', (r) => r.england),
]

/** One row as a JSON record: figures as numbers, "suppressed", or null where not published. */
export const toRecord = <R>(columns: readonly Column<R>[], row: R): Record<string, Value> =>
  Object.fromEntries(columns.map((c) => [c.name, c.value(row)]))

/** RFC 4180 quoting; text a spreadsheet would run as a formula (=, +, -, @) gets a leading quote mark. */
function csvField(value: Value): string {
  if (value === null) return ''
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** A published table: its files' columns, and the words the Data Package gives it. */
export interface PublishedTable<R> {
  /** Its resources in the Data Package are `<name>-csv` and `<name>-json`. */
  name: string
  /** The latest complete month is at `<path>.csv` and `.json`; each month's stays at `<path>/YYYY-MM.csv` and `.json`. */
  path: string
  title: string
  description: string
  columns: readonly Column<R>[]
}

/** A CSV file: a header row, then one line per row (CRLF line ends, per RFC 4180). */
export function tableCsv<R>(table: PublishedTable<R>, rows: readonly R[]): string {
  const lines = [table.columns.map((c) => c.name), ...rows.map((r) => table.columns.map((c) => csvField(c.value(r))))]
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n'
}

/** A JSON file: what it is, its licence and the month, then `records` with the CSV's columns. */
export function tableJson<R>(table: PublishedTable<R>, rows: readonly R[], month: string, generatedAt: Date): string {
  return JSON.stringify(
    {
      title: `${table.title}, ${month}`,
      month,
      generated_at: generatedAt.toISOString(),
      licence: LICENCE,
      metadata: METADATA_PATH,
      records: rows.map((r) => toRecord(table.columns, r)),
    },
    null,
    2,
  )
}

export const METADATA_PATH = '/open-data/feedback/datapackage.json'

/** The method, in words, for the metadata and the open data page. */
export const METHOD = [
  'Question: the NHS Friends and Family Test, "Overall, how was your experience of our service?", with the answers Very good, Good, Neither good nor poor, Poor, Very poor and Don\'t know.',
  'Counts are individual responses given through OpenChoice plus monthly counts that providers upload (paper, kiosk and other modes), added together.',
  PERCENTAGE_DENOMINATOR.text,
  `Confidence intervals are Wilson score 95% intervals (z = ${Z_95}), computed from the published (rounded) counts.`,
  'Local authority and England figures are for all providers of the same framework and type of service, the provider included, in every collection mode.',
  'A provider is said to be better or worse than a reference only when the two published 95% intervals do not overlap; otherwise similar. Providers are not ranked.',
]

// The standards are the choice module's (its rights catalogue, choice/rights.ts), which feedback cannot import: the
// figures themselves come from each request's own deadline, so only these words would be out of step if one changed.
/** How response times are counted, in words. */
export const RESPONSE_TIMES_METHOD = [
  'Every choice request made through OpenChoice is decided once: when the provider answers it (accepts or declines it), or when its deadline passes without an answer. It counts for the provider in the month it was decided (in UK time).',
  'The deadline is the Choice Charter standard for the Choice Framework, in working days (Monday to Friday, except bank holidays in England and Wales) after the day the request was made, to the end of the last day: 5 working days for NHS care, 10 for social housing, social care and early education, and 15 for education.',
  'A request is answered on time when the provider answered it by its deadline. A late answer, or none, is not on time, and answering later does not change that.',
  `The percentage on time is requests answered on time divided by decided requests, with its Wilson score 95% interval (z = ${Z_95}), both computed from the published (rounded) counts. There are no local authority or England figures.`,
]

export const SUPPRESSION = [
  `Nothing is published for a provider, local authority or type of service and period with fewer than ${MINIMUM_RESPONSES} responses (for response times, ${MINIMUM_RESPONSES} decided requests).`,
  `Below national level, counts from 1 to ${SUPPRESS_UP_TO} are shown as "${SUPPRESSED}", and every other count (the total included) is rounded to the nearest ${ROUND_TO}; percentages and intervals are computed from the rounded counts. England figures are exact.`,
]

const onTime = (r: PublishedResponseTimes) => r.figures.onTime.percentage

/** Every column of the response-times CSV and JSON files, in order. */
export const RESPONSE_TIMES_COLUMNS: readonly Column<PublishedResponseTimes>[] = [
  ...providerColumns<PublishedResponseTimes>(),
  col<PublishedResponseTimes>(
    'decided_requests',
    'integer',
    `Choice requests decided in the period (answered, or not answered by their deadline), rounded to the nearest ${ROUND_TO}`,
    (r) => r.figures.decided,
    { required: true },
  ),
  col<PublishedResponseTimes>(
    'answered_on_time',
    'integer',
    `Of those, answered within the Choice Charter standard; "suppressed" for 1 to ${SUPPRESS_UP_TO}, otherwise rounded to the nearest ${ROUND_TO}`,
    (r) => r.figures.onTime.count,
  ),
  col<PublishedResponseTimes>(
    'on_time_percent',
    'number',
    'Percentage of decided requests answered on time, one decimal place',
    (r) => onTime(r)?.percent ?? null,
  ),
  col<PublishedResponseTimes>(
    'on_time_ci_low',
    'number',
    'Lower bound of its Wilson 95% confidence interval',
    (r) => onTime(r)?.low ?? null,
  ),
  col<PublishedResponseTimes>(
    'on_time_ci_high',
    'number',
    'Upper bound of its Wilson 95% confidence interval',
    (r) => onTime(r)?.high ?? null,
  ),
]

export const SATISFACTION_TABLE: PublishedTable<PublishedFigures> = {
  name: 'feedback',
  path: '/open-data/feedback',
  title: 'OpenChoice Friends and Family Test figures',
  description: `Each provider's Friends and Family Test figures. ${METHOD.join(' ')}`,
  columns: COLUMNS,
}

export const RESPONSE_TIMES_TABLE: PublishedTable<PublishedResponseTimes> = {
  name: 'response-times',
  path: '/open-data/feedback/response-times',
  title: 'OpenChoice response times to choice requests',
  description: `Each provider's response times to choice requests against the Choice Charter standard. ${RESPONSE_TIMES_METHOD.join(' ')}`,
  columns: RESPONSE_TIMES_COLUMNS,
}

/** The Frictionless Data Package describing each table's latest files and, by pattern, every month's. */
export function dataPackage(publicUrl: string) {
  const url = (path: string) => new URL(path, publicUrl).toString()
  const resources = ([SATISFACTION_TABLE, RESPONSE_TIMES_TABLE] as PublishedTable<never>[]).flatMap((table) => {
    const schema = {
      fields: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        description: c.description,
        constraints: { required: c.required, ...(c.enum ? { enum: c.enum } : {}) },
      })),
      missingValues: ['', SUPPRESSED],
    }
    const common = { encoding: 'utf-8', profile: 'tabular-data-resource', description: table.description, schema }
    return [
      {
        name: `${table.name}-csv`,
        path: url(`${table.path}.csv`),
        format: 'csv',
        mediatype: 'text/csv',
        dialect: { delimiter: ',', lineTerminator: '\r\n', header: true },
        ...common,
      },
      {
        name: `${table.name}-json`,
        path: url(`${table.path}.json`),
        format: 'json',
        mediatype: 'application/json',
        ...common,
      },
    ]
  })
  return {
    profile: 'tabular-data-package',
    name: 'openchoice-feedback',
    title: 'OpenChoice feedback and response times, by provider',
    description: `Monthly open data: for each provider, one row for the month and one for the 12 months to it. Friends and Family Test figures are at /open-data/feedback.csv and .json, response times to choice requests at /open-data/feedback/response-times.csv and .json: the latest complete month. Each month's files stay at /open-data/feedback/YYYY-MM.csv and /open-data/feedback/response-times/YYYY-MM.csv (and .json). In the JSON files the rows are under "records". ${METHOD.join(' ')} ${RESPONSE_TIMES_METHOD.join(' ')} ${SUPPRESSION.join(' ')}`,
    homepage: url('/open-data'),
    licenses: [LICENCE],
    method: METHOD,
    responseTimesMethod: RESPONSE_TIMES_METHOD,
    suppression: SUPPRESSION,
    resources,
  }
}
