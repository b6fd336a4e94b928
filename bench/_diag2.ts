import { runScenario } from './load.ts'
import { startApp } from './targets.ts'
const t = await startApp('pglite')
const s = (path: string) => ({ name: path, path, expectStatus: 200 })
const set = { connections: 50, durationSeconds: 5, warmupSeconds: 1 }
for (const p of ['/health/ready', '/providers?framework=nhs-care', '/health/ready', '/', '/health/ready']) {
  const r = await runScenario(s(p), t.baseUrl, set)
  console.log(p.padEnd(32), Math.round(r.requestsPerSecond), r.p50Ms, r.p99Ms, `heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`)
}
await t.close()
