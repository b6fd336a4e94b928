import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { isDisclosed } from '../disclosure.ts'
import { monthlyPublication, providerMonths } from '../publication.service.ts'
import { useFeedbackDatabase } from './factories.ts'
import { answer, importNurseries, uploadCounts } from './publication.factories.ts'

// Three nurseries of one type ("Childcare on non-domestic premises", early education): A and B in Leeds, C in
// Manchester. The publication is for April 2025; its rolling year is May 2024 to April 2025.
const [A, B, C] = ['319354', 'EY101465', 'EY561038']

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  let id: Record<string, string>
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  beforeEach(async () => {
    id = await importNurseries(database, [A, B, C])
    const db = database.db
    // A: paper counts for April (80) and 2 online Very good answers (82); paper Very good in March (18).
    await uploadCounts(db, id[A]!, 'paper', '2025-04', {
      'very-good': 40,
      good: 20,
      neither: 5,
      poor: 10,
      'very-poor': 5,
    })
    await answer(db, id[A]!, 'very-good', 2, '2025-04')
    await uploadCounts(db, id[A]!, 'paper', '2025-03', { 'very-good': 18 })
    // B: 9 online answers in April: too few to publish, but part of Leeds's and England's figures.
    await answer(db, id[B]!, 'neither', 9, '2025-04')
    // C: kiosk counts for April (80), and counts from April 2024, before the year.
    await uploadCounts(db, id[C]!, 'kiosk', '2025-04', {
      'very-good': 5,
      good: 5,
      neither: 10,
      poor: 30,
      'very-poor': 30,
    })
    await uploadCounts(db, id[C]!, 'kiosk', '2024-04', { 'very-good': 500 })
  })

  it('an analyst downloads each nursery’s month and year beside Leeds, Manchester and England', async () => {
    const rows = await monthlyPublication(database.db, '2025-04')
    for (const r of rows) {
      expect(isDisclosed(r.figures)).toBe(true)
      for (const ref of [r.localAuthority, r.england]) expect(ref === null || isDisclosed(ref.figures)).toBe(true)
    }
    const summary = rows.map((r) => ({
      name: r.provider.name,
      la: r.provider.localAuthority,
      period: r.period,
      modes: r.modes,
      responses: r.figures.responses,
      counts: r.figures.counts,
      positive: r.figures.positive,
      negative: r.figures.negative,
      la_: r.localAuthority && {
        responses: r.localAuthority.figures.responses,
        positive: r.localAuthority.figures.positive.percentage,
        negative: r.localAuthority.figures.negative.percentage,
        vs: [r.localAuthority.positive, r.localAuthority.negative],
      },
      england: r.england && {
        responses: r.england.figures.responses,
        positive: r.england.figures.positive.percentage,
        negative: r.england.figures.negative.percentage,
        vs: [r.england.positive, r.england.negative],
      },
    }))
    // B (9 responses) has no row. Rows are in provider name order, the month before the year.
    expect(summary.map((s) => [s.name, s.period.kind])).toEqual([
      ['Little Spuds Day Nursery', 'month'],
      ['Little Spuds Day Nursery', 'rolling-12-months'],
      ['Rosewood Nursery', 'month'],
      ['Rosewood Nursery', 'rolling-12-months'],
    ])
    const [cMonth, cYear, aMonth, aYear] = summary
    // England in April: A 82 + B 9 + C 80 = 171 exactly; positive 42 + 20 + 5 + 5 = 72 (42.1%), negative 15 + 60 = 75.
    const englandMonth = {
      responses: 171,
      positive: { percent: 42.1, low: 35.0, high: 49.6 },
      negative: { percent: 43.9, low: 36.6, high: 51.4 },
    }
    // A in April: 82 → 80; Very good 42 → 40, Good 20, Neither 5 and Very poor 5 suppressed; positive 62 → 60 (75%),
    // negative 15 (18.75% → 18.8%). Leeds (A + B): 91 → 90, positive 60 (66.7%), negative 15 (16.7%).
    expect(aMonth).toEqual({
      name: 'Rosewood Nursery',
      la: 'Leeds',
      period: { kind: 'month', from: '2025-04', to: '2025-04' },
      modes: ['online', 'paper'],
      responses: 80,
      counts: { 'very-good': 40, good: 20, neither: 'suppressed', poor: 10, 'very-poor': 'suppressed', 'dont-know': 0 },
      positive: { count: 60, percentage: { percent: 75, low: 64.5, high: 83.2 } },
      negative: { count: 15, percentage: { percent: 18.8, low: 11.7, high: 28.7 } },
      la_: {
        responses: 90,
        positive: { percent: 66.7, low: 56.4, high: 75.5 },
        negative: { percent: 16.7, low: 10.4, high: 25.7 },
        vs: ['similar', 'similar'],
      },
      england: { ...englandMonth, vs: ['better', 'better'] },
    })
    // A's year adds March's 18 Very good: 100, positive 80 (80%), negative 15 (15%). Leeds: 109 → 110, positive 80
    // (72.7%), negative 15 (13.6%). England: 189, positive 90 (47.6%), negative 75 (39.7%).
    expect(aYear).toMatchObject({
      period: { kind: 'rolling-12-months', from: '2024-05', to: '2025-04' },
      responses: 100,
      positive: { count: 80, percentage: { percent: 80, low: 71.1, high: 86.7 } },
      negative: { count: 15, percentage: { percent: 15, low: 9.3, high: 23.3 } },
      la_: { responses: 110, positive: { percent: 72.7, low: 63.7, high: 80.2 }, vs: ['similar', 'similar'] },
      england: {
        responses: 189,
        positive: { percent: 47.6, low: 40.6, high: 54.7 },
        negative: { percent: 39.7, low: 33.0, high: 46.8 },
        vs: ['better', 'better'],
      },
    })
    // C in April: 80; positive 10 (12.5%), negative 60 (75%): worse than England on both; Manchester is C alone.
    expect(cMonth).toMatchObject({
      la: 'Manchester',
      modes: ['kiosk'],
      positive: { count: 10, percentage: { percent: 12.5, low: 6.9, high: 21.5 } },
      negative: { count: 60, percentage: { percent: 75, low: 64.5, high: 83.2 } },
      la_: { responses: 80, vs: ['similar', 'similar'] },
      england: { ...englandMonth, vs: ['worse', 'worse'] },
    })
    // April 2024's 500 are outside the year: C's year is April 2025's 80 alone.
    expect(cYear).toMatchObject({ responses: 80, period: { from: '2024-05', to: '2025-04' } })
  })

  it('a nursery’s page shows each of its 12 months, published or not', async () => {
    const months = await providerMonths(database.db, id[A]!, '2025-04')
    expect(months.map((m) => m.month)).toEqual([
      '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10',
      '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04',
    ]) // prettier-ignore
    expect(months.slice(10).map((m) => [m.figures?.responses, m.hasResponses, m.modes])).toEqual([
      [20, true, ['paper']], // 18 → 20
      [80, true, ['online', 'paper']],
    ])
    expect(months[0]).toMatchObject({ figures: null, hasResponses: false, modes: [] })
    const b = await providerMonths(database.db, id[B]!, '2025-04')
    expect(b[11]).toMatchObject({ figures: null, hasResponses: true }) // fewer than 10
  })
})
