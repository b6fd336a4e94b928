import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import type { Database } from '../db.ts'
import type { EventHandler, JobContext, ModuleManifest, PublishedEvent, ScheduledJob } from '../module.ts'
import { platformModule } from '../platform.module.ts'
import { createTestDatabase, testDialects } from '../testing/index.ts'
import { InvalidEventError, publishEvent, runJobsOnce, startJobWorker } from './jobs.service.ts'

const T0 = new Date('2026-11-23T09:00:00Z')
const notGiven = (requestId: string) => ({ type: 'choice.not-given', payload: { requestId, organisationId: 'org-1' } })

/** A handler that records the events it is given, after a pause that lets other workers run meanwhile. */
function recorder(name: string, eventType = 'choice.not-given') {
  const seen: PublishedEvent[] = []
  const handler: EventHandler = {
    name,
    eventType,
    async handle(_ctx, event) {
      await new Promise((r) => setTimeout(r, 2))
      seen.push(event)
    },
  }
  return { handler, seen, ids: () => seen.map((e) => e.id) }
}

const moduleWith = (over: Partial<ModuleManifest>): ModuleManifest => ({
  name: 'testing',
  dependsOn: [],
  migrations: {},
  ...over,
})

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  let clock: Date
  let output: string

  beforeAll(async () => {
    database = await createTestDatabase(dialect, [platformModule])
  })
  afterAll(async () => {
    await database?.close()
  })
  beforeEach(async () => {
    await sql`truncate platform.events, platform.event_deliveries, platform.event_handlers, platform.scheduled_jobs`.execute(
      database.db,
    )
    clock = T0
    output = ''
  })

  /** A worker's context over the test database, with the test's clock and a log the test can read. */
  function context(...modules: Partial<ModuleManifest>[]): JobContext {
    const log = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _enc, done) {
          output += String(chunk)
          done()
        },
      }),
    )
    return {
      db: database.db,
      config: loadConfig({}),
      now: () => clock,
      log,
      modules: [platformModule, ...modules.map(moduleWith)],
    }
  }

  const advance = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000))

  async function count(table: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)
    return rows[0]!.n
  }

  async function delivery(eventId: string, handler: string) {
    const { rows } = await sql<{ status: string; attempts: number; last_error: string | null; run_after: Date }>`
      select status, attempts, last_error, run_after from platform.event_deliveries
       where event_id = ${eventId} and handler = ${handler}`.execute(database.db)
    return rows[0]
  }

  it('an event published in a transaction that rolls back is never delivered; one that commits is', async () => {
    const redress = recorder('redress.open-complaint')
    await expect(
      database.db.transaction().execute(async (trx) => {
        await publishEvent(trx, notGiven('rolled-back'), clock)
        throw new Error('the business change failed')
      }),
    ).rejects.toThrow('the business change failed')
    expect(await count('platform.events')).toBe(0)

    const committed = await database.db.transaction().execute((trx) => publishEvent(trx, notGiven('committed'), clock))
    expect(committed.duplicate).toBe(false)

    expect(await runJobsOnce(context({ eventHandlers: [redress.handler] }))).toEqual({
      delivered: 1,
      failed: 0,
      scheduled: 0,
    })
    expect(redress.seen).toEqual([
      {
        id: committed.id,
        type: 'choice.not-given',
        payload: { requestId: 'committed', organisationId: 'org-1' },
        occurredAt: T0,
      },
    ])
  })

  it('publishing again with the same key adds nothing and returns the first event', async () => {
    const redress = recorder('redress.open-complaint')
    const first = await publishEvent(database.db, { ...notGiven('r-1'), key: 'choice.not-given:r-1' }, clock)
    const again = await database.db
      .transaction()
      .execute((trx) => publishEvent(trx, { ...notGiven('r-1'), key: 'choice.not-given:r-1' }, clock))
    expect(again).toEqual({ id: first.id, duplicate: true })
    await publishEvent(database.db, { ...notGiven('r-2'), key: 'choice.not-given:r-2' }, clock)
    await publishEvent(database.db, notGiven('no key'), clock)
    await publishEvent(database.db, notGiven('no key'), clock) // no key: two events
    expect(await count('platform.events')).toBe(4)

    await runJobsOnce(context({ eventHandlers: [redress.handler] }))
    expect(redress.seen.map((e) => e.payload.requestId).sort()).toEqual(['no key', 'no key', 'r-1', 'r-2'])
  })

  it('a malformed event is refused with an error that names the fields, not the payload', async () => {
    const refused = await publishEvent(
      database.db,
      { type: 'NotGiven', payload: 'ada@example.org' as unknown as Record<string, unknown>, key: '' },
      clock,
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(InvalidEventError)
    expect((refused as Error).message).toBe(
      'Cannot publish the "NotGiven" event: type must look like module.what; payload Invalid input: expected record, received string; key is empty',
    )
    expect(await count('platform.events')).toBe(0)
  })

  it('each event goes once to every handler of its type, and to no other', async () => {
    const redress = recorder('redress.open-complaint')
    const charter = recorder('charter.count-refusal')
    const other = recorder('budgets.on-payment', 'budgets.paid')
    const ctx = context({ eventHandlers: [redress.handler, charter.handler] }, { eventHandlers: [other.handler] })
    const a = await publishEvent(database.db, notGiven('a'), clock)
    const b = await publishEvent(database.db, notGiven('b'), clock)

    expect(await runJobsOnce(ctx)).toEqual({ delivered: 4, failed: 0, scheduled: 0 })
    expect(redress.ids().sort()).toEqual([a.id, b.id].sort())
    expect(charter.ids().sort()).toEqual([a.id, b.id].sort())
    expect(other.seen).toEqual([])
    expect(await delivery(a.id, 'charter.count-refusal')).toMatchObject({ status: 'done', attempts: 1 })

    advance(3600)
    expect(await runJobsOnce(ctx)).toEqual({ delivered: 0, failed: 0, scheduled: 0 })
    expect(redress.seen).toHaveLength(2)
  })

  it('a handler added later is given the events published before it existed', async () => {
    const early = await publishEvent(database.db, notGiven('before redress existed'), clock)
    expect(await runJobsOnce(context())).toEqual({ delivered: 0, failed: 0, scheduled: 0 })

    advance(60)
    const redress = recorder('redress.open-complaint')
    const late = await publishEvent(database.db, notGiven('after'), clock)
    expect(await runJobsOnce(context({ eventHandlers: [redress.handler] }))).toMatchObject({ delivered: 2 })
    expect(redress.ids().sort()).toEqual([early.id, late.id].sort())
  })

  it('a failing handler is retried with backoff, its writes rolled back each time, then marked failed', async () => {
    const charter = recorder('charter.count-refusal')
    let calls = 0
    const failing: EventHandler = {
      name: 'redress.open-complaint',
      eventType: 'choice.not-given',
      async handle(ctx, event) {
        calls++
        await publishEvent(ctx.db, { type: 'redress.complaint-opened', payload: { eventId: event.id } }, ctx.now())
        throw new TypeError(`cannot open a complaint for request ${String(event.payload.requestId)}`)
      },
    }
    const ctx = context({ eventHandlers: [failing, charter.handler] })
    const { id } = await publishEvent(database.db, notGiven('r-9'), clock)
    const options = { maxAttempts: 3, backoffSeconds: 60 }

    expect(await runJobsOnce(ctx, options)).toEqual({ delivered: 1, failed: 1, scheduled: 0 })
    expect(await delivery(id, 'redress.open-complaint')).toEqual({
      status: 'pending',
      attempts: 1,
      last_error: 'TypeError: cannot open a complaint for request r-9',
      run_after: new Date(T0.getTime() + 60_000),
    })
    expect(await count('platform.events')).toBe(1) // the handler's own event was rolled back with it

    advance(59)
    expect(await runJobsOnce(ctx, options)).toMatchObject({ failed: 0 }) // not due yet
    advance(1)
    expect(await runJobsOnce(ctx, options)).toMatchObject({ failed: 1 })
    expect(await delivery(id, 'redress.open-complaint')).toMatchObject({
      status: 'pending',
      attempts: 2,
      run_after: new Date(clock.getTime() + 120_000), // twice the first wait
    })
    advance(120)
    expect(await runJobsOnce(ctx, options)).toMatchObject({ failed: 1 })
    expect(await delivery(id, 'redress.open-complaint')).toMatchObject({ status: 'failed', attempts: 3 })

    advance(86_400)
    expect(await runJobsOnce(ctx, options)).toEqual({ delivered: 0, failed: 0, scheduled: 0 })
    expect(calls).toBe(3)
    expect(charter.ids()).toEqual([id]) // the other handler was not held back
    expect(await count('platform.events')).toBe(1)

    // Logged by event id, handler and error class/message: never the payload.
    const logged = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.handler === 'redress.open-complaint')
    expect(logged.map((l) => [l.eventId, l.attempts, l.msg])).toEqual([
      [id, 1, 'event handler failed; will retry'],
      [id, 2, 'event handler failed; will retry'],
      [id, 3, 'event handler failed for the last time; delivery marked failed'],
    ])
    expect(output).not.toContain('org-1')
  })

  it('a scheduled job runs once per interval, across restarts, and what it publishes is delivered in the same run', async () => {
    const redress = recorder('redress.open-complaint')
    let runs = 0
    const deadlines: ScheduledJob = {
      name: 'choice.find-deadlines-passed',
      everySeconds: 300,
      async run(ctx) {
        runs++
        await publishEvent(ctx.db, notGiven(`late-${runs}`), ctx.now())
      },
    }
    const manifest = { scheduledJobs: [deadlines], eventHandlers: [redress.handler] }

    expect(await runJobsOnce(context(manifest))).toEqual({ delivered: 1, failed: 0, scheduled: 1 })
    expect(await runJobsOnce(context(manifest))).toEqual({ delivered: 0, failed: 0, scheduled: 0 })
    advance(299)
    expect(await runJobsOnce(context(manifest))).toMatchObject({ scheduled: 0 }) // a restarted process: still not due
    advance(1)
    expect(await runJobsOnce(context(manifest))).toEqual({ delivered: 1, failed: 0, scheduled: 1 })
    expect(runs).toBe(2)
    expect(redress.seen.map((e) => e.payload.requestId)).toEqual(['late-1', 'late-2'])
  })

  it('a scheduled job that fails is recorded, and runs again at its next interval', async () => {
    let runs = 0
    const flaky: ScheduledJob = {
      name: 'choice.find-deadlines-passed',
      everySeconds: 60,
      async run() {
        if (++runs === 1) throw new RangeError('deadline out of range')
      },
    }
    expect(await runJobsOnce(context({ scheduledJobs: [flaky] }))).toEqual({ delivered: 0, failed: 1, scheduled: 1 })
    const { rows } =
      await sql`select last_started_at, last_finished_at, last_error from platform.scheduled_jobs`.execute(database.db)
    expect(rows).toEqual([
      { last_started_at: T0, last_finished_at: T0, last_error: 'RangeError: deadline out of range' },
    ])
    advance(60)
    expect(await runJobsOnce(context({ scheduledJobs: [flaky] }))).toEqual({ delivered: 0, failed: 0, scheduled: 1 })
    expect(runs).toBe(2)
  })

  it('three workers running at once deliver each event once and run a due job once', async () => {
    const redress = recorder('redress.open-complaint')
    let runs = 0
    const job: ScheduledJob = {
      name: 'choice.find-deadlines-passed',
      everySeconds: 60,
      async run() {
        runs++
      },
    }
    const ids = new Set<string>()
    for (let i = 0; i < 40; i++) ids.add((await publishEvent(database.db, notGiven(`r-${i}`), clock)).id)
    const ctx = () => context({ eventHandlers: [redress.handler], scheduledJobs: [job] })

    const summaries = await Promise.all([1, 2, 3].map(() => runJobsOnce(ctx(), { batchSize: 3 })))
    expect(summaries.reduce((n, s) => n + s.delivered, 0)).toBe(40)
    expect(summaries.reduce((n, s) => n + s.scheduled, 0)).toBe(1)
    expect(redress.ids()).toHaveLength(40)
    expect(new Set(redress.ids())).toEqual(ids)
    expect(runs).toBe(1)
  })

  it.runIf(dialect === 'postgres')(
    'a worker skips deliveries another has locked, without waiting for it (SKIP LOCKED)',
    async () => {
      const redress = recorder('redress.open-complaint')
      const ctx = context({ eventHandlers: [redress.handler] })
      const locked = await publishEvent(database.db, notGiven('locked'), clock)
      const free = await publishEvent(database.db, notGiven('free'), clock)
      await runJobsOnce(context()) // fans the events out to no handler yet
      await sql`insert into platform.event_deliveries (event_id, handler, status, attempts, run_after)
                select id, 'redress.open-complaint', 'pending', 0, ${clock}::timestamptz from platform.events`.execute(
        database.db,
      )
      const other = await database.db.startTransaction().execute()
      try {
        await sql`select 1 from platform.event_deliveries where event_id = ${locked.id} for update`.execute(other)
        const summary = await Promise.race([
          runJobsOnce(ctx),
          new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5_000)),
        ])
        expect(summary).toMatchObject({ delivered: 1 })
        expect(redress.ids()).toEqual([free.id])
      } finally {
        await other.rollback().execute()
      }
    },
  )

  it.runIf(dialect === 'postgres')(
    'a worker whose lease ran out while its handler was busy does not record it; the work is rolled back',
    async () => {
      let release: () => void = () => {}
      const started: string[] = []
      const slow: EventHandler = {
        name: 'redress.open-complaint',
        eventType: 'choice.not-given',
        async handle(ctx, event) {
          started.push(event.id)
          await publishEvent(ctx.db, { type: 'redress.complaint-opened', payload: { run: started.length } }, ctx.now())
          if (started.length === 1) await new Promise<void>((r) => (release = r))
        },
      }
      const { id } = await publishEvent(database.db, notGiven('r-1'), clock)
      const first = runJobsOnce(context({ eventHandlers: [slow] }), { leaseSeconds: 60 })
      await expect.poll(() => started.length).toBe(1)

      advance(61) // the first worker's lease has run out: a second takes the delivery over and finishes it
      expect(await runJobsOnce(context({ eventHandlers: [slow] }))).toMatchObject({ delivered: 1 })
      release()
      expect(await first).toEqual({ delivered: 0, failed: 0, scheduled: 0 })
      expect(await delivery(id, 'redress.open-complaint')).toMatchObject({ status: 'done', attempts: 2 })
      const { rows } = await sql<{ payload: { run: number } }>`
        select payload from platform.events where type = 'redress.complaint-opened'`.execute(database.db)
      expect(rows.map((r) => r.payload.run)).toEqual([2])
    },
  )

  it('a delivery left running by a worker that died is run again after its lease, and given up after the last attempt', async () => {
    const redress = recorder('redress.open-complaint')
    const ctx = context({ eventHandlers: [redress.handler] })
    const stale = await publishEvent(database.db, notGiven('stale'), clock)
    const dead = await publishEvent(database.db, notGiven('dead'), clock)
    await runJobsOnce(context())
    await sql`insert into platform.event_deliveries (event_id, handler, status, attempts, run_after)
              values (${stale.id}, 'redress.open-complaint', 'running', 1, ${clock}::timestamptz),
                     (${dead.id}, 'redress.open-complaint', 'running', 3, ${clock}::timestamptz)`.execute(database.db)
    await sql`insert into platform.event_handlers (name, event_type, registered_at)
              values ('redress.open-complaint', 'choice.not-given', ${clock}::timestamptz)`.execute(database.db)

    expect(await runJobsOnce(ctx, { maxAttempts: 3 })).toEqual({ delivered: 1, failed: 1, scheduled: 0 })
    expect(redress.ids()).toEqual([stale.id])
    expect(await delivery(stale.id, 'redress.open-complaint')).toMatchObject({ status: 'done', attempts: 2 })
    expect(await delivery(dead.id, 'redress.open-complaint')).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'Abandoned: the worker stopped before the handler finished',
    })
  })

  it('a stopping worker gives back the deliveries it claimed but has not run', async () => {
    const stopping = new AbortController()
    const seen: string[] = []
    const stopper: EventHandler = {
      name: 'redress.open-complaint',
      eventType: 'choice.not-given',
      async handle(_ctx, event) {
        seen.push(event.id)
        stopping.abort()
      },
    }
    for (let i = 0; i < 3; i++) await publishEvent(database.db, notGiven(`r-${i}`), clock)
    const ctx = context({ eventHandlers: [stopper] })
    expect(await runJobsOnce(ctx, { signal: stopping.signal })).toMatchObject({ delivered: 1 })
    const { rows } = await sql<{ status: string; attempts: number; n: number }>`
      select status, attempts, count(*)::int as n from platform.event_deliveries group by 1, 2 order by 1`.execute(
      database.db,
    )
    expect(rows).toEqual([
      { status: 'done', attempts: 1, n: 1 },
      { status: 'pending', attempts: 0, n: 2 },
    ])
    expect(await runJobsOnce(ctx)).toMatchObject({ delivered: 2 })
    expect(new Set(seen).size).toBe(3)
  })

  it('the worker runs at once and then every interval, and stops cleanly', async () => {
    const redress = recorder('redress.open-complaint')
    const first = await publishEvent(database.db, notGiven('first'), clock)
    const stop = startJobWorker(context({ eventHandlers: [redress.handler] }), 3600)
    await expect.poll(() => redress.ids(), { timeout: 5_000 }).toEqual([first.id])
    await stop()
    await publishEvent(database.db, notGiven('after stop'), clock)
    await new Promise((r) => setTimeout(r, 100))
    expect(redress.ids()).toEqual([first.id])
  })
})
