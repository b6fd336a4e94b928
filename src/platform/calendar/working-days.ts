import { z } from 'zod'
import published from './bank-holidays.json' with { type: 'json' }

// Working days in England and Wales: Monday to Friday, except the bank holidays GOV.UK publishes (kept as data in
// bank-holidays.json; its README says where it comes from and how to refresh it). Dates are 'YYYY-MM-DD' strings
// of the London calendar; instants are Dates. No timezone library: Intl knows Europe/London's clock changes.

const DAY_MS = 86_400_000

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like YYYY-MM-DD')
  .refine((d) => dateOfDay(Date.parse(`${d}T00:00:00Z`) / DAY_MS) === d, 'is not a calendar date')

/** GOV.UK's bank-holidays.json; other divisions (Scotland, Northern Ireland) may be present and are ignored. */
const bankHolidaysFile = z.object({
  'england-and-wales': z.object({
    division: z.literal('england-and-wales'),
    events: z
      .array(z.object({ title: z.string().min(1), date: isoDate, notes: z.string(), bunting: z.boolean() }))
      .min(1),
  }),
})

export interface BankHolidays {
  dates: ReadonlySet<string>
  /** The years the data covers; outside them a date's status is unknown, so counting stops with an error. */
  firstYear: number
  lastYear: number
}

/** Reads a copy of GOV.UK's bank-holidays.json, refusing one that is not in its format or misses a year. */
export function parseBankHolidays(json: unknown): BankHolidays {
  const parsed = bankHolidaysFile.safeParse(json)
  if (!parsed.success)
    throw new Error(`The bank holidays file is not in GOV.UK's format: ${z.prettifyError(parsed.error)}`)
  const dates = parsed.data['england-and-wales'].events.map((e) => e.date)
  const years = new Set(dates.map(yearOf))
  const firstYear = Math.min(...years)
  const lastYear = Math.max(...years)
  // Every year has bank holidays: a year without any means the copy lost it, not that everyone worked through it.
  for (let year = firstYear; year <= lastYear; year++)
    if (!years.has(year)) throw new Error(`The bank holidays file has no bank holidays in ${year}`)
  return { dates: new Set(dates), firstYear, lastYear }
}

const holidays = parseBankHolidays(published)

/**
 * A date outside the years the bank holiday data covers. Counting on as if there were no bank holidays would give
 * wrong deadlines silently, so the computation stops; the fix is to refresh bank-holidays.json.
 */
export class CalendarRangeError extends Error {
  constructor(
    readonly date: string,
    { firstYear, lastYear }: Pick<BankHolidays, 'firstYear' | 'lastYear'> = holidays,
  ) {
    super(
      `Bank holidays in England and Wales are known for ${firstYear} to ${lastYear} only, so ${date} cannot be ` +
        'counted as a working day or not: refresh src/platform/calendar/bank-holidays.json (see the README beside it)',
    )
    this.name = 'CalendarRangeError'
  }
}

const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
const londonOffset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' })

/** The calendar date ('YYYY-MM-DD') London's clocks show at this instant (GMT or BST). */
export function londonDate(instant: Date): string {
  const part = Object.fromEntries(londonDay.formatToParts(instant).map((p) => [p.type, p.value]))
  return `${part.year}-${part.month}-${part.day}`
}

/** True on a weekday that is not an England and Wales bank holiday; throws CalendarRangeError outside the data. */
export function isWorkingDay(date: string): boolean {
  return isWorking(dayOf(date))
}

/**
 * The deadline `workingDays` working days after `from`: counting starts on the first working day after the London
 * date of `from` (a request on Friday with 2 working days is due on Tuesday; 0 means by the end of that same day).
 * `dueAt` is the last millisecond of the due date in London (23:59:59.999 GMT or BST).
 */
export function workingDayDeadline(from: Date, workingDays: number): { dueDate: string; dueAt: Date } {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`workingDays must be a whole number of days, 0 or more (got ${workingDays})`)
  let day = dayOf(londonDate(from))
  for (let left = workingDays; left > 0;) if (isWorking(++day)) left--
  return { dueDate: dateOfDay(day), dueAt: new Date(startOfLondonDay(day + 1) - 1) }
}

/** The working days after from's London date up to and including to's (0 when `to` is on or before that date). */
export function workingDaysBetween(from: Date, to: Date): number {
  const last = dayOf(londonDate(to))
  let count = 0
  for (let day = dayOf(londonDate(from)) + 1; day <= last; day++) if (isWorking(day)) count++
  return count
}

// Days are counted as whole days since 1970-01-01, which makes stepping and weekdays simple arithmetic.

function dayOf(date: string): number {
  const parsed = isoDate.safeParse(date)
  if (!parsed.success) throw new RangeError(`"${date}" is not a date in the form YYYY-MM-DD`)
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS
}

function dateOfDay(day: number): string {
  return Number.isFinite(day) ? new Date(day * DAY_MS).toISOString().slice(0, 10) : ''
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}

function isWorking(day: number): boolean {
  const date = dateOfDay(day)
  if (yearOf(date) < holidays.firstYear || yearOf(date) > holidays.lastYear) throw new CalendarRangeError(date)
  const weekday = new Date(day * DAY_MS).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !holidays.dates.has(date)
}

/**
 * The instant (ms) London's clocks show 00:00 on this day. UK clocks change at 01:00 UTC, never near UTC midnight,
 * so London's offset at UTC midnight is its offset at its own midnight too.
 */
function startOfLondonDay(day: number): number {
  const utcMidnight = day * DAY_MS
  const name = londonOffset.formatToParts(utcMidnight).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name) // 'GMT' alone in winter, 'GMT+01:00' in summer
  const offsetMs = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0
  return utcMidnight - offsetMs
}
