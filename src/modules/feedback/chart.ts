// The geometry of the provider page's chart (percentage positive per month with its 95% interval), drawn as SVG by
// the template: no client script, so it works with JavaScript off and prints.
import type { ProviderMonth } from './publication.service.ts'

export const CHART = { width: 600, height: 260, left: 52, right: 12, top: 12, bottom: 40 } as const

export interface ChartPoint {
  month: string
  x: number
  /** Null where the month has nothing published. */
  y: number | null
  low: number | null
  high: number | null
}

const plotHeight = CHART.height - CHART.top - CHART.bottom
/** Where a percentage (0 to 100) sits on the y axis. */
export const yOf = (percent: number): number => CHART.top + plotHeight * (1 - percent / 100)

/** One point per month, evenly spaced; gridlines at 0, 25, 50, 75 and 100%. */
export function positiveChart(months: readonly ProviderMonth[]) {
  const step = (CHART.width - CHART.left - CHART.right) / Math.max(1, months.length)
  const points: ChartPoint[] = months.map((m, i) => {
    const p = m.figures?.positive.percentage ?? null
    return {
      month: m.month,
      x: Math.round(CHART.left + step * (i + 0.5)),
      y: p && Math.round(yOf(p.percent)),
      low: p && Math.round(yOf(p.low)),
      high: p && Math.round(yOf(p.high)),
    }
  })
  const grid = [0, 25, 50, 75, 100].map((percent) => ({ percent, y: Math.round(yOf(percent)) }))
  return { ...CHART, points, grid, plotted: points.filter((p) => p.y !== null).length }
}

const MONTH_NAME = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
/** 'October 2026' for '2026-10'. */
export const monthName = (month: string): string => MONTH_NAME.format(new Date(`${month}-01T00:00:00Z`))
/** 'Oct' for '2026-10': the chart's axis labels. */
export const monthAbbr = (month: string): string =>
  new Date(`${month}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })
