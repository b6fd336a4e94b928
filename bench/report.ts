import os from 'node:os'
import { isFlagged, type LoadSettings, type ScenarioResult } from './load.ts'

export interface Machine {
  cpus: number
  model: string
  memGiB: number
  node: string
}

export function describeMachine(): Machine {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  }
}

function ratio(r: ScenarioResult, ceiling: ScenarioResult): number {
  return ceiling.requestsPerSecond > 0 ? Math.round((r.requestsPerSecond / ceiling.requestsPerSecond) * 100) / 100 : 0
}

function problems(r: ScenarioResult): string {
  const parts = [`${r.errors} / ${r.non2xx}`]
  if (isFlagged(r)) {
    const details = Object.entries(r.unexpected).map(([status, count]) => `${count}×${status}`)
    if (details.length) details.unshift(`expected ${r.expectStatus}`)
    if (r.timeouts) details.push(`${r.timeouts} timed out`)
    parts.push(`FLAGGED${details.length ? ` (${details.join(', ')})` : ''}`)
  }
  return parts.join(' ')
}

/** The results as a Markdown table (readable on a terminal and pasteable into BENCHMARKS.md). */
export function formatTable(results: ScenarioResult[], ceiling: ScenarioResult): string {
  const header = ['Scenario', 'Requests/s (mean)', 'p50 ms', 'p99 ms', 'Ratio to ceiling', 'Errors / non-2xx']
  const rows = results.map((r) => [
    r.name,
    r.requestsPerSecond.toFixed(0),
    String(r.p50Ms),
    String(r.p99Ms),
    ratio(r, ceiling).toFixed(2),
    problems(r),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const numeric = [false, true, true, true, true, false]
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`
  // Separator as Prettier writes it, so the table pastes into BENCHMARKS.md unchanged.
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** The single machine-readable line: `BENCH_JSON {...}`. */
export function formatJson(
  results: ScenarioResult[],
  ceiling: ScenarioResult,
  machine: Machine,
  settings: LoadSettings,
  date: Date,
): string {
  const body = {
    date: date.toISOString(),
    machine,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    results: results.map((r) => ({
      name: r.name,
      requestsPerSecond: Math.round(r.requestsPerSecond * 100) / 100,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      ratioToCeiling: ratio(r, ceiling),
      errors: r.errors,
      non2xx: r.non2xx,
    })),
  }
  return `BENCH_JSON ${JSON.stringify(body)}`
}
