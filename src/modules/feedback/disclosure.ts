// Statistical disclosure control: every figure OpenChoice publishes about feedback passes through `disclose`.
import {
  FFT_ANSWERS,
  negativeCount,
  positiveCount,
  proportionOf,
  totalResponses,
  type AnswerCounts,
  type FftAnswer,
} from './statistics.ts'

/** Fewer responses than this for a provider (or any area) and period: nothing at all is published. */
export const MINIMUM_RESPONSES = 10
/** Below national level, a count from 1 to this is shown as suppressed (0 is shown: it discloses no one). */
export const SUPPRESS_UP_TO = 7
/** Below national level, every other count is rounded to the nearest multiple of this. */
export const ROUND_TO = 5
export const SUPPRESSED = 'suppressed'

/** Where the figures are about: national figures are exact, any smaller area's are rounded. */
export type GeographicLevel = 'provider' | 'local-authority' | 'national'
export type DisclosedCount = number | typeof SUPPRESSED

/** A percentage with its Wilson 95% interval, each to one decimal place. */
export interface Percentage {
  percent: number
  low: number
  high: number
}

/** A headline count and its percentage of all responses; no percentage where the count is suppressed. */
export interface DisclosedMeasure {
  count: DisclosedCount
  percentage: Percentage | null
}

declare const disclosed: unique symbol

/**
 * Figures that may be published. Only `disclose` makes them (the brand cannot be written elsewhere without a
 * cast), so a publication typed to take DisclosedFigures cannot be handed raw counts; `isDisclosed` checks the
 * same at run time, for tests that enumerate every open-data output.
 */
export interface DisclosedFigures {
  readonly [disclosed]: true
  readonly level: GeographicLevel
  /** Total responses, rounded below national level; the denominator of both percentages. */
  readonly responses: number
  readonly counts: Readonly<Record<FftAnswer, DisclosedCount>>
  readonly positive: Readonly<DisclosedMeasure>
  readonly negative: Readonly<DisclosedMeasure>
}

/** Choice requests decided for a provider and period (answered, or their deadline passed), and how many were on time. */
export interface RequestCounts {
  decided: number
  onTime: number
}

/** Response-time figures that may be published: like DisclosedFigures, only `disclose` makes them. */
export interface DisclosedResponseTimes {
  readonly [disclosed]: true
  readonly level: GeographicLevel
  /** Decided requests, rounded below national level; the denominator of the percentage. */
  readonly decided: number
  /** Answered within the Choice Charter standard, and its percentage of decided requests. */
  readonly onTime: Readonly<DisclosedMeasure>
}

const made = new WeakSet<object>()

/** True only for figures `disclose` made (not for a copy of them). */
export function isDisclosed(value: unknown): value is DisclosedFigures | DisclosedResponseTimes {
  return typeof value === 'object' && value !== null && made.has(value)
}

function discloseCount(n: number, level: GeographicLevel): DisclosedCount {
  if (level === 'national') return n
  if (n >= 1 && n <= SUPPRESS_UP_TO) return SUPPRESSED
  return Math.round(n / ROUND_TO) * ROUND_TO // n is whole, so n / 5 never ends in .5: no ties to break
}

const oneDecimal = (fraction: number) => Math.round(fraction * 1000) / 10

function measure(count: DisclosedCount, responses: number): DisclosedMeasure {
  // Percentages and intervals come from the disclosed counts, so no published number recovers an exact count.
  const p = count === SUPPRESSED ? null : proportionOf(count, responses)
  return {
    count,
    percentage: p && { percent: oneDecimal(p.value), low: oneDecimal(p.low), high: oneDecimal(p.high) },
  }
}

/**
 * The one gate for publication, for satisfaction (FFT answer counts) and response times (decided requests and those
 * on time) alike. Nothing (null) for fewer than 10 responses or decided requests; below national level, counts of 1
 * to 7 are suppressed and every other count, the total included, is rounded to the nearest 5, and percentages are
 * computed from those rounded counts. National figures are exact. Rounded counts need not add up to the rounded total.
 */
export function disclose(counts: AnswerCounts, level: GeographicLevel): DisclosedFigures | null
export function disclose(counts: RequestCounts, level: GeographicLevel): DisclosedResponseTimes | null
export function disclose(
  counts: AnswerCounts | RequestCounts,
  level: GeographicLevel,
): DisclosedFigures | DisclosedResponseTimes | null {
  const requests = 'decided' in counts
  const named = requests ? Object.entries(counts) : FFT_ANSWERS.map((a) => [a, counts[a]] as const)
  for (const [what, n] of named) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: ${n} is not a count`)
  }
  if (requests && counts.onTime > counts.decided) throw new RangeError(`onTime: ${counts.onTime} is more than decided`)
  const total = requests ? counts.decided : totalResponses(counts)
  if (total < MINIMUM_RESPONSES) return null
  const rounded = discloseCount(total, level) as number // at least 10, so never suppressed
  const figures = Object.freeze(
    requests
      ? { level, decided: rounded, onTime: Object.freeze(measure(discloseCount(counts.onTime, level), rounded)) }
      : {
          level,
          responses: rounded,
          counts: Object.freeze(
            Object.fromEntries(FFT_ANSWERS.map((a) => [a, discloseCount(counts[a], level)])) as Record<
              FftAnswer,
              DisclosedCount
            >,
          ),
          positive: Object.freeze(measure(discloseCount(positiveCount(counts), level), rounded)),
          negative: Object.freeze(measure(discloseCount(negativeCount(counts), level), rounded)),
        },
  ) as DisclosedFigures | DisclosedResponseTimes
  made.add(figures)
  return figures
}
