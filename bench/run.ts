// `npm run bench`: load-tests the OpenChoice app over loopback against a bare Fastify ceiling measured in the same run.
import os from 'node:os'
import { isFlagged, runScenario, type LoadSettings, type ScenarioResult } from './load.ts'
import { describeMachine, formatJson, formatTable } from './report.ts'
import { ceilingScenario, scenarios } from './scenarios.ts'
import { startApp, startCeiling, type Target } from './targets.ts'
import { formatImportTable, measureImports } from './imports.ts'
import { formatFeedbackTable, measureFeedbackPublication } from './feedback.ts'

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${raw}"`)
  return n
}

const settings: LoadSettings = {
  connections: positiveInt('BENCH_CONNECTIONS', 50),
  durationSeconds: positiveInt('BENCH_DURATION', 10),
  warmupSeconds: 2,
}

async function withTarget<T>(start: () => Promise<Target>, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await start()
  process.stderr.write(`${target.label} listening on ${target.baseUrl}\n`)
  try {
    return await use(target)
  } finally {
    await target.close()
  }
}

async function measure(name: string, scenario: Parameters<typeof runScenario>[0], target: Target) {
  process.stderr.write(`  ${name}: ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured…\n`)
  const result = await runScenario({ ...scenario, name }, target.baseUrl, settings)
  process.stderr.write(`    ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms\n`)
  return result
}

/** Other work on the machine skews every number (the ratio to the ceiling only partly corrects for it), so say so. */
function reportLoad(when: string): void {
  const [one = 0, five = 0] = os.loadavg()
  const busy = one > 0.5 ? ' — the machine is busy; results will be lower and noisier than on an idle machine' : ''
  process.stderr.write(`Load average ${when}: ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)${busy}\n`)
}

async function main(): Promise<number> {
  const date = new Date()
  const machine = describeMachine()
  process.stderr.write(
    `Bench: ${settings.connections} connections, ${settings.durationSeconds} s per scenario on ${machine.cpus} × ${machine.model}, Node ${machine.node}\n`,
  )
  reportLoad('before')

  const ceiling = await withTarget(startCeiling, (t) => measure(ceilingScenario.name, ceilingScenario, t))
  const results: ScenarioResult[] = [ceiling]

  // One scenario at a time, never concurrently: the server and the load generator share two cores.
  await withTarget(
    () => startApp('pglite'),
    async (t) => {
      for (const s of scenarios) results.push(await measure(s.name, s, t))
    },
  )

  const postgresUrl = process.env.BENCH_DATABASE_URL
  if (postgresUrl) {
    process.env.TEST_DATABASE_URL = postgresUrl
    await withTarget(
      () => startApp('postgres'),
      async (t) => {
        for (const s of scenarios) results.push(await measure(`postgres: ${s.name}`, s, t))
      },
    )
  }

  const importTables = [formatImportTable('PGlite', await measureImports('pglite'))]
  if (postgresUrl) importTables.push(formatImportTable('PostgreSQL', await measureImports('postgres')))
  // The monthly feedback publication at national size: PostgreSQL only (10 million rows is no job for PGlite).
  if (postgresUrl) {
    const responses = positiveInt('BENCH_FEEDBACK_RESPONSES', 10_000_000)
    importTables.push(formatFeedbackTable(await measureFeedbackPublication(responses)))
  }

  reportLoad('after')
  console.log()
  console.log(formatTable(results, ceiling))
  for (const table of importTables) console.log(`\n${table}`)
  console.log()
  console.log(formatJson(results, ceiling, machine, settings, date))

  const flagged = results.filter(isFlagged)
  if (flagged.length) {
    console.error(`\n${flagged.length} scenario(s) flagged: ${flagged.map((r) => r.name).join(', ')}`)
    return 1
  }
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(err)
    process.exitCode = 1
  },
)
