import Fastify from 'fastify'
import { createLogger, runSeeds } from '../src/platform/index.ts'
import { createTestApp, type Dialect } from '../src/platform/testing/index.ts'
import { modules } from '../src/modules/registry.ts'
import { replicateLocations } from './replicate.ts'

/** National size: England has about 100,000 locations of services people choose between (issue #4). */
const LOCATIONS = Number(process.env.BENCH_LOCATIONS ?? 100_000)

/** A server the bench drives: its base URL, and how to stop it. */
export interface Target {
  label: string
  baseUrl: string
  close(): Promise<void>
}

/** This machine's ceiling: a bare Fastify hello-world with logging off. */
export async function startCeiling(): Promise<Target> {
  const app = Fastify({ logger: false })
  app.get('/', async () => ({ hello: 'world' }))
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  return { label: 'bare Fastify', baseUrl, close: () => app.close() }
}

/** The real OpenChoice app (every security control on, logging off) on a fresh database with the demo seed data. */
export async function startApp(dialect: Dialect): Promise<Target> {
  // The load comes from this machine: the API's per-client rate limit would otherwise answer most of it with 429.
  const testApp = await createTestApp(dialect, modules, {
    config: { rateLimitAllowList: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] },
  })
  try {
    await runSeeds(testApp.database.db, modules, createLogger('silent'), { onlyIfEmpty: true })
    const locations = await replicateLocations(testApp.database.db, LOCATIONS)
    process.stderr.write(`  directory grown to ${locations} locations (real rows copied with new ids)\n`)
    const baseUrl = await testApp.app.listen({ port: 0, host: '127.0.0.1' })
    return { label: `OpenChoice on ${testApp.database.description}`, baseUrl, close: () => testApp.close() }
  } catch (err) {
    await testApp.close()
    throw err
  }
}
