import { londonDate } from '../../platform/index.ts'

/** A calendar month, 'YYYY-MM': the period every FFT figure is for. */
export type Month = string

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

export const isMonth = (value: string): value is Month => MONTH.test(value)

/** The month an instant falls in, in England (a response at 00:30 BST on 1 June is June's). */
export const monthOf = (instant: Date): Month => londonDate(instant).slice(0, 7)

/** The month `n` months after (or, negative, before) `month`. */
export function addMonths(month: Month, n: number): Month {
  const [, year, mm] = MONTH.exec(month) ?? []
  if (!year || !mm) throw new RangeError(`${month} is not a month`)
  const index = Number(year) * 12 + Number(mm) - 1 + n
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The date column value for a month: its first day. */
export const firstDayOf = (month: Month): string => `${month}-01`

/** The 12 complete months before the month `now` is in: a rolling year, as NHS England's FFT figures are monthly. */
export function rollingYear(now: Date): { from: Month; to: Month } {
  const current = monthOf(now)
  return { from: addMonths(current, -12), to: addMonths(current, -1) }
}

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]

/**
 * The month NHS England's FFT files mean by `Yearnumber` (a financial year, '2024_25') and `Periodname` (a month
 * name, in full or its first three letters): April to December are in the first year, January to March in the
 * second. Null when either is not what the layout has.
 */
export function financialYearMonth(yearnumber: string, periodname: string): Month | null {
  const year = /^(\d{4})_(\d{2})$/.exec(yearnumber.trim())
  if (!year || (Number(year[1]) + 1) % 100 !== Number(year[2])) return null
  const name = periodname.trim().toLowerCase()
  const index = MONTH_NAMES.findIndex((m) => m === name || (name.length === 3 && m.startsWith(name)))
  if (index < 0) return null
  const calendarYear = Number(year[1]) + (index < 3 ? 1 : 0)
  return `${calendarYear}-${String(index + 1).padStart(2, '0')}`
}
