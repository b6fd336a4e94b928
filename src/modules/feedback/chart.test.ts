import { describe, expect, it } from 'vitest'
import { CHART, monthName, positiveChart, yOf } from './chart.ts'
import { disclose } from './disclosure.ts'
import type { ProviderMonth } from './publication.service.ts'
import { zeroCounts } from './statistics.ts'

const month = (m: string, good: number, poor: number): ProviderMonth => ({
  month: m,
  figures: disclose({ ...zeroCounts(), good, poor }, 'provider'),
  hasResponses: good + poor > 0,
  modes: ['online'],
})

describe('the provider page chart', () => {
  it('places 0% at the bottom of the plot and 100% at the top', () => {
    expect(yOf(0)).toBe(CHART.height - CHART.bottom)
    expect(yOf(100)).toBe(CHART.top)
  })

  it('plots a point with its interval only for months with published figures', () => {
    // 15 of 20 positive: 75% [53.1%, 88.8%]; 5 responses: nothing published.
    const chart = positiveChart([month('2025-03', 15, 5), month('2025-04', 3, 2)])
    expect(chart.plotted).toBe(1)
    const [march, april] = chart.points
    expect(march).toEqual({
      month: '2025-03',
      x: expect.any(Number),
      y: Math.round(yOf(75)),
      low: Math.round(yOf(53.1)),
      high: Math.round(yOf(88.8)),
    })
    expect(april).toMatchObject({ month: '2025-04', y: null, low: null, high: null })
    expect(april!.x).toBeGreaterThan(march!.x)
  })

  it('names months in words', () => expect(monthName('2025-04')).toBe('April 2025'))
})
