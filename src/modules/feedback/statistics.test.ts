import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  FFT_ANSWERS,
  PERCENTAGE_DENOMINATOR,
  compareWithReference,
  countAnswers,
  negativeCount,
  positiveCount,
  proportionOf,
  sumCounts,
  totalResponses,
  wilsonInterval,
  type AnswerCounts,
  type FftAnswer,
} from './statistics.ts'

const answers = (spec: Partial<AnswerCounts>): FftAnswer[] =>
  FFT_ANSWERS.flatMap((a) => Array<FftAnswer>(spec[a] ?? 0).fill(a))

// Wilson's interval by hand, with z = 1.959964, z² = 3.841459:
//   d = 1 + z²/n,  centre = (p + z²/2n) / d,  half = (z / d) × √(p(1 − p)/n + z²/4n²),  interval = centre ± half.
// Each row's comment shows the numbers; every value is rounded to 6 places, and the test allows 5e-6.
const cases: {
  name: string
  given: Partial<AnswerCounts>
  total: number
  positive: [count: number, low: number, high: number] | null
  negative: [count: number, low: number, high: number] | null
}[] = [
  { name: 'no responses', given: {}, total: 0, positive: null, negative: null },
  {
    name: '1 response, Very good',
    given: { 'very-good': 1 },
    total: 1,
    // 1/1: d = 1 + 3.841459 = 4.841459; centre = (1 + 1.920729)/4.841459 = 0.603275;
    //      half = 1.959964/4.841459 × √(0 + 0.960365) = 0.404829 × 0.979982 = 0.396725 → [0.206549, 1]
    positive: [1, 0.206549, 1],
    // 0/1: centre = (0 + 1.920729)/4.841459 = 0.396725; half = 0.396725 (as above) → [0, 0.793451]
    negative: [0, 0, 0.793451],
  },
  {
    name: '7 responses',
    given: { 'very-good': 3, good: 2, neither: 1, poor: 1 },
    total: 7,
    // 5/7: p = 0.714286; d = 1 + 0.548780 = 1.548780; centre = (0.714286 + 0.274390)/1.548780 = 0.638358;
    //      half = 1.959964/1.548780 × √(0.029155 + 0.019599) = 1.265490 × 0.220803 = 0.279423 → [0.358934, 0.917781]
    positive: [5, 0.358934, 0.917781],
    // 1/7: p = 0.142857; centre = (0.142857 + 0.274390)/1.548780 = 0.269404;
    //      half = 1.265490 × √(0.017493 + 0.019599) = 1.265490 × 0.192593 = 0.243724 → [0.025680, 0.513128]
    negative: [1, 0.02568, 0.513128],
  },
  {
    name: "8 responses, one of them Don't know (counted in the total)",
    given: { 'very-good': 4, good: 2, poor: 1, 'dont-know': 1 },
    total: 8,
    // 6/8 (not 6/7): p = 0.75; d = 1 + 0.480182 = 1.480182; centre = (0.75 + 0.240091)/1.480182 = 0.668898;
    //      half = 1.959964/1.480182 × √(0.023438 + 0.015006) = 1.324137 × 0.196069 = 0.259623 → [0.409275, 0.928521]
    positive: [6, 0.409275, 0.928521],
    // 1/8: p = 0.125; centre = (0.125 + 0.240091)/1.480182 = 0.246653;
    //      half = 1.324137 × √(0.013672 + 0.015006) = 1.324137 × 0.169345 = 0.224235 → [0.022417, 0.470888]
    negative: [1, 0.022417, 0.470888],
  },
  {
    name: '9 responses',
    given: { 'very-good': 5, good: 2, neither: 1, 'very-poor': 1 },
    total: 9,
    // 7/9: p = 0.777778; d = 1 + 0.426829 = 1.426829; centre = (0.777778 + 0.213414)/1.426829 = 0.694682;
    //      half = 1.959964/1.426829 × √(0.019204 + 0.011856) = 1.373651 × 0.176241 = 0.242093 → [0.452589, 0.936775]
    positive: [7, 0.452589, 0.936775],
    // 1/9: p = 0.111111; centre = (0.111111 + 0.213414)/1.426829 = 0.227445;
    //      half = 1.373651 × √(0.010974 + 0.011856) = 1.373651 × 0.151097 = 0.207554 → [0.019891, 0.435000]
    negative: [1, 0.019891, 0.435],
  },
  {
    name: '10 responses',
    given: { 'very-good': 6, good: 2, neither: 1, 'very-poor': 1 },
    total: 10,
    // 8/10: p = 0.8; d = 1 + 0.384146 = 1.384146; centre = (0.8 + 0.192073)/1.384146 = 0.716740;
    //      half = 1.959964/1.384146 × √(0.016 + 0.009604) = 1.416009 × 0.160011 = 0.226578 → [0.490162, 0.943318]
    positive: [8, 0.490162, 0.943318],
    // 1/10: p = 0.1; centre = (0.1 + 0.192073)/1.384146 = 0.211013;
    //      half = 1.416009 × √(0.009 + 0.009604) = 1.416009 × 0.136395 = 0.193137 → [0.017876, 0.404150]
    negative: [1, 0.017876, 0.40415],
  },
  {
    name: '11 responses',
    given: { 'very-good': 6, good: 3, poor: 1, 'dont-know': 1 },
    total: 11,
    // 9/11: p = 0.818182; d = 1 + 0.349224 = 1.349224; centre = (0.818182 + 0.174612)/1.349224 = 0.735826;
    //      half = 1.959964/1.349224 × √(0.013524 + 0.007937) = 1.452661 × 0.146494 = 0.212806 → [0.523019, 0.948632]
    positive: [9, 0.523019, 0.948632],
    // 1/11: p = 0.090909; centre = (0.090909 + 0.174612)/1.349224 = 0.196795;
    //      half = 1.452661 × √(0.007513 + 0.007937) = 1.452661 × 0.124298 = 0.180563 → [0.016232, 0.377358]
    negative: [1, 0.016232, 0.377358],
  },
  {
    name: 'all positive (10)',
    given: { 'very-good': 7, good: 3 },
    total: 10,
    // 10/10: centre = (1 + 0.192073)/1.384146 = 0.861234; half = 1.416009 × √(0 + 0.009604) = 0.138766
    //        → [0.722467, 1]; the low end is n/(n + z²) = 10/13.841459 = 0.722467
    positive: [10, 0.722467, 1],
    // 0/10: the high end is z²/(n + z²) = 3.841459/13.841459 = 0.277533
    negative: [0, 0, 0.277533],
  },
  {
    name: 'all negative (11)',
    given: { poor: 4, 'very-poor': 7 },
    total: 11,
    // 0/11: high = z²/(n + z²) = 3.841459/14.841459 = 0.258833
    positive: [0, 0, 0.258833],
    // 11/11: low = n/(n + z²) = 11/14.841459 = 0.741167
    negative: [11, 0.741167, 1],
  },
]

describe('FFT statistics', () => {
  it.each(cases)('an analyst reads the counts and percentages for $name', ({ given, total, positive, negative }) => {
    const counts = countAnswers(answers(given))
    for (const a of FFT_ANSWERS) expect(counts[a]).toBe(given[a] ?? 0)
    expect(totalResponses(counts)).toBe(total)
    for (const [measure, expected] of [
      [proportionOf(positiveCount(counts), total), positive],
      [proportionOf(negativeCount(counts), total), negative],
    ] as const) {
      if (!expected) {
        expect(measure).toBeNull()
        continue
      }
      const [count, low, high] = expected
      expect(measure!.count).toBe(count)
      expect(measure!.value).toBeCloseTo(count / total, 12)
      expect(measure!.low).toBeCloseTo(low, 5)
      expect(measure!.high).toBeCloseTo(high, 5)
    }
  })

  it("counts Don't know in the denominator, as NHS England does", () => {
    expect(PERCENTAGE_DENOMINATOR.answers).toContain('dont-know')
    expect(totalResponses(countAnswers(['good', 'dont-know']))).toBe(2)
  })

  it('sums counts across months and collection modes', () => {
    const april = countAnswers(answers({ 'very-good': 2, poor: 1 }))
    const may = countAnswers(answers({ 'very-good': 1, 'dont-know': 4 }))
    expect(sumCounts([april, may])).toEqual({ ...countAnswers([]), 'very-good': 3, poor: 1, 'dont-know': 4 })
  })

  it('an interval always holds its proportion and stays between 0 and 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(f * n)
        const { low, high } = wilsonInterval(k, n)!
        expect(0 <= low && low <= k / n && k / n <= high && high <= 1).toBe(true)
        // Symmetry: the interval of the complement is the mirror image.
        const mirror = wilsonInterval(n - k, n)!
        expect(mirror.low).toBeCloseTo(1 - high, 9)
      }),
    )
  })

  it('more responses give a narrower interval for the same proportion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (n, kRaw) => {
        const k = kRaw % (n + 1)
        const small = wilsonInterval(k, n)!
        const large = wilsonInterval(k * 10, n * 10)!
        expect(large.high - large.low).toBeLessThan(small.high - small.low)
      }),
    )
  })
})

describe('comparison with a reference', () => {
  // 85/100 → [0.767164, 0.906940]; 60/100 → [0.502003, 0.690599]; 80/100 → [0.711171, 0.866633].
  const p85 = proportionOf(85, 100)!
  const p60 = proportionOf(60, 100)!
  const p80 = proportionOf(80, 100)!

  it('says better or worse only where the intervals do not overlap', () => {
    expect(compareWithReference(p85, p60, 'better')).toBe('better') // 0.767164 > 0.690599
    expect(compareWithReference(p60, p85, 'better')).toBe('worse') // 0.690599 < 0.767164
    expect(compareWithReference(p85, p80, 'better')).toBe('similar') // [0.767, 0.907] overlaps [0.711, 0.867]
  })

  it('for percentage negative, higher is worse', () => {
    expect(compareWithReference(p85, p60, 'worse')).toBe('worse')
    expect(compareWithReference(p60, p85, 'worse')).toBe('better')
  })

  it('intervals that only touch are similar', () => {
    expect(compareWithReference({ low: 0.5, high: 0.7 }, { low: 0.3, high: 0.5 }, 'better')).toBe('similar')
  })

  it('is antisymmetric and never says better for overlapping intervals', () => {
    const interval = fc
      .tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }))
      .map(([n, k]) => wilsonInterval(k % (n + 1), n)!)
    fc.assert(
      fc.property(interval, interval, (a, b) => {
        const ab = compareWithReference(a, b, 'better')
        const ba = compareWithReference(b, a, 'better')
        expect(ba).toBe(ab === 'better' ? 'worse' : ab === 'worse' ? 'better' : 'similar')
        const overlap = a.low <= b.high && b.low <= a.high
        if (overlap) expect(ab).toBe('similar')
      }),
    )
  })
})
