import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { disclose, isDisclosed, SUPPRESSED, type DisclosedFigures, type GeographicLevel } from './disclosure.ts'
import { FFT_ANSWERS, zeroCounts, type AnswerCounts } from './statistics.ts'

const counts = (spec: Partial<AnswerCounts>): AnswerCounts => ({ ...zeroCounts(), ...spec })
const S = SUPPRESSED

describe('disclosure control', () => {
  it.each([
    ['no', {}],
    ['1', { 'very-good': 1 }],
    ['7', { 'very-good': 3, good: 2, neither: 1, poor: 1 }],
    ['8', { 'very-good': 4, good: 2, poor: 1, 'dont-know': 1 }],
    ['9', { 'very-good': 5, good: 2, neither: 1, 'very-poor': 1 }],
  ] as const)('nothing is published for %s responses, at any level', (_, spec) => {
    for (const level of ['provider', 'local-authority', 'national'] as const)
      expect(disclose(counts(spec), level)).toBeNull()
  })

  // Percentages are from the disclosed counts, to one decimal place; Wilson intervals as in statistics.test.ts.
  it.each<[string, Partial<AnswerCounts>, GeographicLevel, object]>([
    [
      '10 responses for a provider: 8 positive rounds to 10 of 10',
      { 'very-good': 6, good: 2, neither: 1, 'very-poor': 1 },
      'provider',
      {
        responses: 10,
        counts: { 'very-good': S, good: S, neither: S, poor: 0, 'very-poor': S, 'dont-know': 0 },
        // 10/10 → [0.722467, 1] → 72.2% to 100%
        positive: { count: 10, percentage: { percent: 100, low: 72.2, high: 100 } },
        negative: { count: S, percentage: null },
      },
    ],
    [
      '10 responses nationally: exact',
      { 'very-good': 6, good: 2, neither: 1, 'very-poor': 1 },
      'national',
      {
        responses: 10,
        counts: { 'very-good': 6, good: 2, neither: 1, poor: 0, 'very-poor': 1, 'dont-know': 0 },
        // 8/10 → [0.490162, 0.943318]; 1/10 → [0.017876, 0.404150]
        positive: { count: 8, percentage: { percent: 80, low: 49, high: 94.3 } },
        negative: { count: 1, percentage: { percent: 10, low: 1.8, high: 40.4 } },
      },
    ],
    [
      '11 responses for a provider: the total rounds to 10, 9 positive to 10',
      { 'very-good': 6, good: 3, poor: 1, 'dont-know': 1 },
      'provider',
      {
        responses: 10,
        counts: { 'very-good': S, good: S, neither: 0, poor: S, 'very-poor': 0, 'dont-know': S },
        positive: { count: 10, percentage: { percent: 100, low: 72.2, high: 100 } },
        negative: { count: S, percentage: null },
      },
    ],
    [
      '11 responses nationally: exact',
      { 'very-good': 6, good: 3, poor: 1, 'dont-know': 1 },
      'national',
      {
        responses: 11,
        // 9/11 = 81.8% → [0.523019, 0.948632]; 1/11 = 9.1% → [0.016232, 0.377358]
        positive: { count: 9, percentage: { percent: 81.8, low: 52.3, high: 94.9 } },
        negative: { count: 1, percentage: { percent: 9.1, low: 1.6, high: 37.7 } },
      },
    ],
    [
      'all 10 positive for a local authority',
      { 'very-good': 7, good: 3 },
      'local-authority',
      {
        responses: 10,
        counts: { 'very-good': S, good: S, neither: 0, poor: 0, 'very-poor': 0, 'dont-know': 0 },
        positive: { count: 10, percentage: { percent: 100, low: 72.2, high: 100 } },
        // 0/10 → [0, 0.277533]: a zero count is shown, with its interval
        negative: { count: 0, percentage: { percent: 0, low: 0, high: 27.8 } },
      },
    ],
    [
      'all 11 negative for a provider',
      { poor: 4, 'very-poor': 7 },
      'provider',
      {
        responses: 10,
        positive: { count: 0, percentage: { percent: 0, low: 0, high: 27.8 } },
        negative: { count: 10, percentage: { percent: 100, low: 72.2, high: 100 } },
      },
    ],
    [
      '123 responses for a provider',
      { 'very-good': 80, good: 25, neither: 8, poor: 5, 'very-poor': 3, 'dont-know': 2 },
      'provider',
      {
        responses: 125, // 123 → 125
        counts: { 'very-good': 80, good: 25, neither: 10, poor: S, 'very-poor': S, 'dont-know': S },
        // 105 stays 105: 105/125 = 84.0%; d = 1.030732, centre = (0.84 + 0.015366)/1.030732 = 0.829863,
        // half = 1.901527 × √(0.001075 + 0.000061) = 0.064109 → [0.765754, 0.893972] → 76.6% to 89.4%
        positive: { count: 105, percentage: { percent: 84, low: 76.6, high: 89.4 } },
        // 8 → 10: 10/125 = 8.0%; centre = (0.08 + 0.015366)/1.030732 = 0.092522,
        // half = 1.901527 × √(0.000589 + 0.000061) = 0.048489 → [0.044033, 0.141012] → 4.4% to 14.1%
        negative: { count: 10, percentage: { percent: 8, low: 4.4, high: 14.1 } },
      },
    ],
  ])('%s', (_, spec, level, expected) => {
    expect(disclose(counts(spec), level)).toMatchObject({ level, ...expected })
  })

  it('rounds other counts to the nearest 5: 12 to 10, 13 to 15', () => {
    expect(disclose(counts({ good: 12 }), 'provider')!.counts.good).toBe(10)
    expect(disclose(counts({ good: 13 }), 'provider')!.counts.good).toBe(15)
  })

  it('refuses what is not a count', () => {
    expect(() => disclose(counts({ good: 10.5 }), 'provider')).toThrow(RangeError)
    expect(() => disclose(counts({ good: 20, poor: -1 }), 'national')).toThrow(RangeError)
  })

  it('only figures it made count as disclosed, and they cannot be changed', () => {
    const figures = disclose(counts({ good: 20 }), 'provider')!
    expect(isDisclosed(figures)).toBe(true)
    expect(isDisclosed({ ...figures })).toBe(false)
    expect(isDisclosed(null)).toBe(false)
    expect(Object.isFrozen(figures) && Object.isFrozen(figures.counts) && Object.isFrozen(figures.positive)).toBe(true)
    // @ts-expect-error raw figures cannot be passed off as disclosed without a cast
    const forged: DisclosedFigures = { level: 'provider', responses: 3, counts: figures.counts }
    expect(isDisclosed(forged)).toBe(false)
  })

  const anyCounts = fc.record(
    Object.fromEntries(FFT_ANSWERS.map((a) => [a, fc.nat({ max: 60 })])) as Record<
      keyof AnswerCounts,
      fc.Arbitrary<number>
    >,
  )

  it('below national level, every published count is suppressed (1 to 7) or a multiple of 5 within 2 of the truth', () => {
    fc.assert(
      fc.property(anyCounts, fc.constantFrom('provider' as const, 'local-authority' as const), (c, level) => {
        const total = FFT_ANSWERS.reduce((n, a) => n + c[a], 0)
        const figures = disclose(c, level)
        expect(figures === null).toBe(total < 10)
        if (!figures) return
        expect(Math.abs(figures.responses - total)).toBeLessThanOrEqual(2)
        for (const a of FFT_ANSWERS) {
          const shown = figures.counts[a]
          if (c[a] >= 1 && c[a] <= 7) expect(shown).toBe(SUPPRESSED)
          else {
            expect(typeof shown === 'number' && shown % 5 === 0 && Math.abs(shown - c[a]) <= 2).toBe(true)
          }
        }
        for (const m of [figures.positive, figures.negative]) {
          expect(m.percentage === null).toBe(m.count === SUPPRESSED)
          if (!m.percentage || m.count === SUPPRESSED) continue
          expect(Math.abs(m.percentage.percent - (100 * m.count) / figures.responses)).toBeLessThanOrEqual(0.05 + 1e-9)
          expect(m.percentage.low <= m.percentage.percent && m.percentage.percent <= m.percentage.high).toBe(true)
        }
      }),
    )
  })

  it('national figures are the exact counts', () => {
    fc.assert(
      fc.property(anyCounts, (c) => {
        const figures = disclose(c, 'national')
        if (figures) expect(figures.counts).toEqual(c)
      }),
    )
  })

  describe('response times to choice requests, through the same gate', () => {
    it.each([
      // 19 of 20 on time, exact (national): p = 0.95, z²/n = 0.192068; centre = 1.046034/1.192068 = 0.877495,
      // half = 1.644163 × √(0.002375 + 0.002401) = 0.113630 → [0.763865, 0.991125] → 95% (76.4% to 99.1%)
      [
        '19 of 20 nationally: exact',
        20,
        19,
        'national',
        { decided: 20, onTime: { count: 19, percentage: { percent: 95, low: 76.4, high: 99.1 } } },
      ],
      // For a provider 19 rounds to 20: 20 of 20 → centre 0.919440, half 0.080562 → [0.838878, 1] → 83.9% to 100%
      [
        '19 of 20 for a provider: rounded',
        20,
        19,
        'provider',
        { decided: 20, onTime: { count: 20, percentage: { percent: 100, low: 83.9, high: 100 } } },
      ],
      [
        '3 of 12 for a provider: on time suppressed',
        12,
        3,
        'provider',
        { decided: 10, onTime: { count: S, percentage: null } },
      ],
      [
        'none of 10 on time: 0 is shown',
        10,
        0,
        'provider',
        { decided: 10, onTime: { count: 0, percentage: { percent: 0, low: 0, high: 27.8 } } },
      ],
    ] as const)('%s', (_, decided, onTime, level, expected) => {
      const figures = disclose({ decided, onTime }, level)
      expect(figures).toEqual({ level, ...expected })
      expect(isDisclosed(figures)).toBe(true)
    })

    it('publishes nothing under 10 decided requests, and refuses what is not a count', () => {
      expect(disclose({ decided: 9, onTime: 9 }, 'national')).toBeNull()
      expect(() => disclose({ decided: 10, onTime: 11 }, 'national')).toThrow(RangeError)
      expect(() => disclose({ decided: 10.5, onTime: 1 }, 'national')).toThrow(RangeError)
    })
  })
})
