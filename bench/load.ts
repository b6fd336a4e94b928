import autocannon from 'autocannon'
import { resolvePath, type Scenario } from './scenarios.ts'

export interface LoadSettings {
  connections: number
  durationSeconds: number
  warmupSeconds: number
}

export interface ScenarioResult {
  name: string
  path: string
  expectStatus: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Connection errors, timeouts included. */
  errors: number
  /** Requests with no response within autocannon's 10 s timeout (counted in `errors` too). */
  timeouts: number
  non2xx: number
  /** Responses whose status was not `expectStatus`, by status. */
  unexpected: Record<string, number>
}

/**
 * Drives one scenario over loopback: a warm-up run that is thrown away, then the measured run.
 * autocannon runs in one worker thread so the load generator does not share the server's event loop.
 */
export async function runScenario(
  scenario: Scenario,
  baseUrl: string,
  settings: LoadSettings,
): Promise<ScenarioResult> {
  const path = await resolvePath(scenario, baseUrl)
  const url = new URL(path, baseUrl).toString()
  const headers = scenario.headers ? await scenario.headers(baseUrl) : {}
  const base = { url, headers, connections: settings.connections, workers: 1, timeout: 10 }
  if (settings.warmupSeconds > 0) await autocannon({ ...base, duration: settings.warmupSeconds })
  const result = await autocannon({ ...base, duration: settings.durationSeconds })
  const unexpected: Record<string, number> = {}
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (Number(status) !== scenario.expectStatus && count > 0) unexpected[status] = count
  }
  return {
    name: scenario.name,
    path,
    expectStatus: scenario.expectStatus,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    unexpected,
  }
}

/** A scenario is flagged when any request errored or answered with a status other than the expected one. */
export function isFlagged(r: ScenarioResult): boolean {
  return r.errors > 0 || Object.keys(r.unexpected).length > 0
}
