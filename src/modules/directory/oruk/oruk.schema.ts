import { z } from 'zod'

// Query strings of the Open Referral UK API (../shared/standards/oruk/openapi.json: components.parameters).
// Unlike the HTML pages, which fall back to defaults, the API refuses what it does not understand: an unknown or
// malformed parameter is a 400 that names it, so a client's mistake is never mistaken for an empty result.

/** The most results one page holds; a larger `per_page` is capped to it (the profile sets no maximum). */
export const MAX_PER_PAGE = 200
export const DEFAULT_PER_PAGE = 50
/** The largest `proximity` (metres) a search may ask for: 200 km. */
export const MAX_PROXIMITY_METRES = 200_000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A uuid in any case, as the database writes it (lower case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

const once = (what: string) => ({
  error: (issue: { input?: unknown }) => (Array.isArray(issue.input) ? 'give it once only' : `must be ${what}`),
})

const wholeNumber = (max: number) =>
  z
    .string(once('a whole number'))
    .regex(/^\d{1,12}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be 1 or more').max(max, `must be ${max} or less`))

const uuid = z
  .string(once('a uuid'))
  .regex(UUID, 'must be a uuid')
  .transform((v) => v.toLowerCase())

const bool = z.enum(['true', 'false'], once('true or false')).transform((v) => v === 'true')

const age = z
  .string(once('a number of years'))
  .regex(/^\d{1,3}(\.\d+)?$/, 'must be a number of years')
  .transform(Number)

const time = z.string(once('a time')).regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a time such as 08:30')

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
const day = z
  .string(once('a day'))
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => DAY_NAMES.includes(v) || (DAYS as readonly string[]).includes(v.toUpperCase()), {
    error: 'must be a day: MO, TU, WE, TH, FR, SA or SU (or its English name)',
  })

/** ISO 8601: a date (2024-01-31) or a date and time with a zone (2024-01-31T09:00:00Z). */
const dateTime = z
  .string(once('a date or date-time'))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || z.iso.datetime({ offset: true }).safeParse(v).success, {
    error: 'must be an ISO 8601 date (2024-01-31) or date-time with a zone (2024-01-31T09:00:00Z)',
  })
  .transform((v) => new Date(v))
  .refine((d) => Number.isFinite(d.getTime()), { error: 'must be a real date' })

const searchText = z
  .string(once('text'))
  .max(200, 'must be 200 characters or fewer')
  .transform((v) => v.split(/\s+/).filter(Boolean))
  .refine((words) => words.length <= 10, { error: 'must be 10 words or fewer' })

const paging = {
  page: wholeNumber(1_000_000_000).optional(),
  per_page: z
    .string(once('a whole number'))
    .regex(/^\d{1,12}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be 1 or more'))
    .optional(),
}

// The profile's filters for services. Ages, times and days are checked but narrow nothing: the directory records
// no age ranges or opening schedules, and a service that states no restriction is not excluded by one.
const serviceFilters = {
  search: searchText.optional(),
  /** Open Referral UK v1's name for `search`, which its validator still sends. */
  text: searchText.optional(),
  taxonomy_term_id: uuid.optional(),
  taxonomy_id: uuid.optional(),
  organization_id: uuid.optional(),
  modified_after: dateTime.optional(),
  minimum_age: age.optional(),
  maximum_age: age.optional(),
  start_time: time.optional(),
  end_time: time.optional(),
  day: day.optional(),
}

export interface PageParams {
  page: number
  perPage: number
}

function pageOf(q: { page?: number | undefined; per_page?: number | undefined }): PageParams {
  return { page: q.page ?? 1, perPage: Math.min(q.per_page ?? DEFAULT_PER_PAGE, MAX_PER_PAGE) }
}

const oneSearch = <T extends { search?: string[] | undefined; text?: string[] | undefined }>(q: T) =>
  !(q.search && q.text)

const servicesShape = { ...paging, ...serviceFilters, full: bool.optional() }
export const SERVICES_PARAMETERS = Object.keys(servicesShape)

export const servicesQuery = z
  .strictObject(servicesShape)
  .refine(oneSearch, { error: 'give search or text, not both', path: ['search'] })
  .transform((q) => ({ ...q, ...pageOf(q), words: q.search ?? q.text ?? [] }))

export type ServicesQuery = z.output<typeof servicesQuery>

const serviceAtLocationsShape = {
  ...paging,
  ...serviceFilters,
  postcode: z
    .string(once('a postcode'))
    .trim()
    .min(2, 'must be a UK postcode or postcode district')
    .max(10, 'must be a UK postcode or postcode district')
    .optional(),
  proximity: wholeNumber(MAX_PROXIMITY_METRES).optional(),
}
export const SERVICE_AT_LOCATIONS_PARAMETERS = Object.keys(serviceAtLocationsShape)

export const serviceAtLocationsQuery = z
  .strictObject(serviceAtLocationsShape)
  .refine(oneSearch, { error: 'give search or text, not both', path: ['search'] })
  .refine((q) => q.proximity === undefined || q.postcode !== undefined, {
    error: 'needs a postcode to measure from',
    path: ['proximity'],
  })
  .transform((q) => ({ ...q, ...pageOf(q), words: q.search ?? q.text ?? [] }))

export type ServiceAtLocationsQuery = z.output<typeof serviceAtLocationsQuery>

export const PAGE_PARAMETERS = Object.keys(paging)
export const pageQuery = z.strictObject(paging).transform(pageOf)

/** Says what was wrong with a query string, one parameter at a time, in words a developer can act on. */
export function describeQueryError(error: z.ZodError, allowed: readonly string[]): string {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(', ')
      const takes = allowed.length ? `this endpoint takes ${allowed.join(', ')}` : 'this endpoint takes no parameters'
      return `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${keys} (${takes})`
    }
    return `${issue.path.join('.') || 'query'} ${issue.message}`
  })
  return [...new Set(problems)].join('; ')
}
