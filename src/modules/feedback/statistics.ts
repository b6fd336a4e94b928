// The Friends and Family Test's headline measures and their uncertainty. Pure: no database, no disclosure control
// (disclosure.ts applies that before anything is published).

/** The FFT answers in the order of the question's scale (NHS England, since April 2020). */
export const FFT_ANSWERS = ['very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know'] as const
export type FftAnswer = (typeof FFT_ANSWERS)[number]

/** How many responses gave each answer. */
export type AnswerCounts = Record<FftAnswer, number>

/** Percentage positive counts these answers; percentage negative counts NEGATIVE_ANSWERS. */
export const POSITIVE_ANSWERS: readonly FftAnswer[] = ['very-good', 'good']
export const NEGATIVE_ANSWERS: readonly FftAnswer[] = ['poor', 'very-poor']

/**
 * The answers the percentages are taken over: every response, "Don't know" included, as NHS England's FFT
 * publications do ("Total Responses" is the sum of all six answers). The published metadata quotes `text`.
 */
export const PERCENTAGE_DENOMINATOR = {
  answers: FFT_ANSWERS as readonly FftAnswer[],
  text: 'Percentages are of all responses, including "Don\'t know": positive is Very good + Good, negative is Poor + Very poor, each divided by the total of all six answers.',
} as const

/** z for a two-sided 95% interval (the 97.5th percentile of the standard normal), to NHS England's precision. */
export const Z_95 = 1.959964

/** A proportion's confidence interval, as fractions from 0 to 1. */
export interface Interval {
  low: number
  high: number
}

export function zeroCounts(): AnswerCounts {
  return { 'very-good': 0, good: 0, neither: 0, poor: 0, 'very-poor': 0, 'dont-know': 0 }
}

/** Tallies individual answers. */
export function countAnswers(answers: Iterable<FftAnswer>): AnswerCounts {
  const counts = zeroCounts()
  for (const answer of answers) counts[answer]++
  return counts
}

/** Adds counts together (months into a year, collection modes into one figure). */
export function sumCounts(all: Iterable<AnswerCounts>): AnswerCounts {
  const sum = zeroCounts()
  for (const counts of all) for (const answer of FFT_ANSWERS) sum[answer] += counts[answer]
  return sum
}

function countOf(counts: AnswerCounts, answers: readonly FftAnswer[]): number {
  return answers.reduce((n, answer) => n + counts[answer], 0)
}

/** Total responses: the denominator of both percentages. */
export const totalResponses = (counts: AnswerCounts): number => countOf(counts, PERCENTAGE_DENOMINATOR.answers)
export const positiveCount = (counts: AnswerCounts): number => countOf(counts, POSITIVE_ANSWERS)
export const negativeCount = (counts: AnswerCounts): number => countOf(counts, NEGATIVE_ANSWERS)

/**
 * Wilson's score interval for `successes` out of `trials` (Wilson 1927; Newcombe 1998, method 3). Unlike the
 * normal approximation it stays inside 0 to 1 and is honest for small counts and proportions near 0 or 1.
 * Undefined (null) with no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (trials === 0) return null
  const p = successes / trials
  const z2n = (z * z) / trials
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))
  // At 0 and at every trial the bound is exactly 0 or 1; floating point would give -1e-17 or 0.9999999999999999.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  }
}

/** A share of responses with its interval, as fractions from 0 to 1. */
export interface Proportion extends Interval {
  count: number
  total: number
  value: number
}

/** `count` out of `total`, with its Wilson 95% interval; null when there are no responses. */
export function proportionOf(count: number, total: number): Proportion | null {
  const interval = wilsonInterval(count, total)
  return interval && { count, total, value: count / total, ...interval }
}

export type Comparison = 'better' | 'worse' | 'similar'

/**
 * Compares a provider's measure with a reference (its local authority or England, same service type). The rule:
 * the provider is "better" or "worse" only when the two 95% Wilson intervals do not overlap at all; intervals that
 * touch or overlap are "similar". Non-overlap is a stricter test than a significance test of the difference (about
 * p < 0.006 when the intervals are of equal width), so "better" and "worse" are said only when the data clearly
 * support them. Nothing here ranks providers: overlapping intervals cannot put them in order.
 * `higherIs` says which way is good: 'better' for percentage positive, 'worse' for percentage negative.
 */
export function compareWithReference(
  provider: Interval,
  reference: Interval,
  higherIs: 'better' | 'worse',
): Comparison {
  const above = provider.low > reference.high
  const below = provider.high < reference.low
  if (!above && !below) return 'similar'
  return above === (higherIs === 'better') ? 'better' : 'worse'
}
