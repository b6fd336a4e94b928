import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import published from './bank-holidays.json' with { type: 'json' }
import {
  CalendarRangeError,
  isWorkingDay,
  londonDate,
  parseBankHolidays,
  workingDayDeadline,
  workingDaysBetween,
} from './working-days.ts'

// Every expected date below was checked by hand against a 2026/2027 calendar and GOV.UK's bank holidays.

describe('londonDate', () => {
  it.each([
    ['2026-11-20T12:00:00Z', '2026-11-20', 'a winter afternoon (GMT)'],
    ['2026-03-28T23:30:00Z', '2026-03-28', 'the night before the clocks go forward: still GMT'],
    ['2026-03-29T00:59:59Z', '2026-03-29', 'a second before BST starts'],
    ['2026-03-29T23:30:00Z', '2026-03-30', 'the first BST night: 00:30 on Monday in London'],
    ['2026-08-31T23:30:00Z', '2026-09-01', 'a summer night: UTC is a day behind London'],
    ['2026-10-24T23:30:00Z', '2026-10-25', 'the night the clocks go back: 00:30 BST'],
    ['2026-10-25T23:30:00Z', '2026-10-25', 'the first GMT night'],
  ])('%s is %s in London (%s)', (instant, date) => {
    expect(londonDate(new Date(instant))).toBe(date)
  })
})

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-20', true, 'an ordinary Friday'],
    ['2026-11-21', false, 'a Saturday'],
    ['2026-11-22', false, 'a Sunday'],
    ['2026-04-03', false, 'Good Friday 2026'],
    ['2026-04-06', false, 'Easter Monday 2026'],
    ['2026-04-07', true, 'the Tuesday after Easter'],
    ['2026-12-24', true, 'Christmas Eve is not a bank holiday'],
    ['2026-12-25', false, 'Christmas Day 2026 (a Friday)'],
    ['2026-12-28', false, 'Boxing Day 2026, substitute day (a Monday)'],
    ['2026-12-29', true, 'the Tuesday after'],
    ['2027-12-27', false, 'Christmas Day 2027, substitute day'],
    ['2027-12-28', false, 'Boxing Day 2027, substitute day'],
    ['2024-03-29', false, 'Good Friday 2024, the first year held'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected)
  })

  it.each(['2026-02-30', '2026-13-01', '20-11-2026', '2026-1-5', ''])('"%s" is refused as not a date', (date) => {
    expect(() => isWorkingDay(date)).toThrow(RangeError)
  })

  it.each(['2023-12-29', '2028-01-03', '2028-01-01'])('%s, outside the years held, is an error', (date) => {
    expect(() => isWorkingDay(date)).toThrow(CalendarRangeError)
  })
})

describe('workingDayDeadline', () => {
  it.each([
    // [request made at, working days, due date, due at (end of that London day), why]
    ['2026-11-20T10:00:00Z', 2, '2026-11-24', '2026-11-24T23:59:59.999Z', 'a Friday request: Monday, Tuesday'],
    ['2026-11-20T10:00:00Z', 0, '2026-11-20', '2026-11-20T23:59:59.999Z', '0 days: by the end of the same day'],
    ['2026-11-21T10:00:00Z', 0, '2026-11-21', '2026-11-21T23:59:59.999Z', '0 days on a Saturday: still that day'],
    ['2026-11-21T10:00:00Z', 1, '2026-11-23', '2026-11-23T23:59:59.999Z', 'a Saturday request: Monday'],
    ['2026-12-24T10:00:00Z', 1, '2026-12-29', '2026-12-29T23:59:59.999Z', 'Christmas: 25 and 28 Dec are holidays'],
    ['2026-12-24T10:00:00Z', 5, '2027-01-05', '2027-01-05T23:59:59.999Z', 'Christmas and New Year, into 2027'],
    ['2026-04-02T13:00:00Z', 1, '2026-04-07', '2026-04-07T22:59:59.999Z', 'Easter: Good Friday to Easter Monday'],
    ['2026-03-27T12:00:00Z', 1, '2026-03-30', '2026-03-30T22:59:59.999Z', 'over the clocks going forward: BST end'],
    ['2026-10-22T12:00:00Z', 1, '2026-10-23', '2026-10-23T22:59:59.999Z', 'the Friday before the clocks go back'],
    ['2026-10-23T12:00:00Z', 1, '2026-10-26', '2026-10-26T23:59:59.999Z', 'over the clocks going back: GMT end'],
    ['2026-08-31T22:30:00Z', 1, '2026-09-01', '2026-09-01T22:59:59.999Z', 'late on a bank holiday (23:30 BST)'],
    ['2026-08-31T23:30:00Z', 1, '2026-09-02', '2026-09-02T22:59:59.999Z', 'just after it (00:30 BST on 1 Sep)'],
    ['2025-12-26T23:59:00Z', 1, '2025-12-29', '2025-12-29T23:59:59.999Z', 'late on Boxing Day 2025 (a Friday)'],
    ['2027-12-23T12:00:00Z', 2, '2027-12-29', '2027-12-29T23:59:59.999Z', 'Christmas 2027: two substitute days'],
  ])('a request at %s with %i working days is due %s (%s)', (from, days, dueDate, dueAt) => {
    expect(workingDayDeadline(new Date(from), days)).toEqual({ dueDate, dueAt: new Date(dueAt) })
  })

  it('refuses a deadline that runs past the last year held, rather than ignore its bank holidays', () => {
    expect(() => workingDayDeadline(new Date('2027-12-30T12:00:00Z'), 1)).not.toThrow() // Friday 31 Dec
    const err = (() => {
      try {
        workingDayDeadline(new Date('2027-12-30T12:00:00Z'), 2)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(CalendarRangeError)
    expect((err as CalendarRangeError).date).toBe('2028-01-01')
    expect((err as Error).message).toContain('known for 2024 to 2027 only')
  })

  it.each([-1, 1.5, Number.NaN])('refuses %s working days', (days) => {
    expect(() => workingDayDeadline(new Date('2026-11-20T10:00:00Z'), days)).toThrow(RangeError)
  })

  it('any deadline is that many working days away, ends a London day, and falls on a working day', () => {
    const instants = fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2027-10-31T23:59:59Z'),
      noInvalidDate: true,
    })
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 40 }), (from, days) => {
        const { dueDate, dueAt } = workingDayDeadline(from, days)
        expect(workingDaysBetween(from, dueAt)).toBe(days)
        expect(londonDate(dueAt)).toBe(dueDate)
        expect(londonDate(new Date(dueAt.getTime() + 1))).not.toBe(dueDate)
        if (days > 0) expect(isWorkingDay(dueDate)).toBe(true)
      }),
    )
  })
})

describe('workingDaysBetween', () => {
  it.each([
    ['2026-11-20T10:00:00Z', '2026-11-24T09:00:00Z', 2, 'Friday to Tuesday'],
    ['2026-11-20T10:00:00Z', '2026-11-20T23:00:00Z', 0, 'the same London day'],
    ['2026-11-24T10:00:00Z', '2026-11-20T10:00:00Z', 0, 'backwards'],
    ['2026-12-24T10:00:00Z', '2027-01-05T09:00:00Z', 5, 'over Christmas and New Year'],
    ['2026-04-02T12:00:00Z', '2026-04-06T12:00:00Z', 0, 'Good Friday, a weekend and Easter Monday'],
    ['2026-10-23T22:30:00Z', '2026-10-26T00:30:00Z', 1, 'Friday 23:30 BST to Monday 00:30 GMT'],
  ])('from %s to %s: %i (%s)', (from, to, expected) => {
    expect(workingDaysBetween(new Date(from), new Date(to))).toBe(expected)
  })

  it('refuses to count into a year it holds no bank holidays for', () => {
    expect(() => workingDaysBetween(new Date('2027-12-01T12:00:00Z'), new Date('2028-01-05T12:00:00Z'))).toThrow(
      CalendarRangeError,
    )
  })
})

describe('the bank holidays file', () => {
  it('holds the eight England and Wales bank holidays of each year from 2024 to 2027', () => {
    const holidays = parseBankHolidays(published)
    expect([holidays.firstYear, holidays.lastYear]).toEqual([2024, 2027])
    for (const year of [2024, 2025, 2026, 2027])
      expect([...holidays.dates].filter((d) => d.startsWith(`${year}-`))).toHaveLength(8)
  })

  it("accepts GOV.UK's whole file, whose other divisions it ignores", () => {
    const whole = {
      ...published,
      scotland: { division: 'scotland', events: [{ title: 'St Andrew’s Day', date: '2026-11-30', notes: '' }] },
    }
    expect(parseBankHolidays(whole).dates.has('2026-11-30')).toBe(false)
  })

  it.each([
    ['no England and Wales division', {}, /england-and-wales/],
    [
      'a date that is not one',
      eventsFile([{ title: 'Boxing Day', date: '2026-12-32', notes: '', bunting: true }]),
      /not a calendar date/,
    ],
    ['a missing title', eventsFile([{ date: '2026-12-25', notes: '', bunting: true }]), /title/],
    [
      'a year missing in the middle',
      eventsFile(
        ['2024-12-25', '2026-12-25'].map((date) => ({ title: 'Christmas Day', date, notes: '', bunting: true })),
      ),
      /no bank holidays in 2025/,
    ],
  ])('refuses a copy with %s', (_, json, message) => {
    expect(() => parseBankHolidays(json)).toThrow(message)
  })
})

function eventsFile(events: unknown[]) {
  return { 'england-and-wales': { division: 'england-and-wales', events } }
}
