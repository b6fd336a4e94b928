import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { pino } from 'pino'
import { beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, publishEvent, runJobsOnce, type Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { feedbackModule } from '../module.ts'
import { useFeedbackDatabase } from './factories.ts'
import { publishDecided } from './publication.factories.ts'

const NOW = new Date('2025-05-10T12:00:00Z')

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  beforeEach(async () => {
    await sql`truncate platform.events, platform.event_deliveries, platform.event_handlers`.execute(database.db)
  })

  const runJobs = () =>
    runJobsOnce(
      {
        db: database.db,
        config: loadConfig({}),
        now: () => NOW,
        log: pino({ level: 'silent' }),
        modules: [feedbackModule],
      },
      { maxAttempts: 1 },
    )

  const outcomes = async () =>
    (
      await sql<Record<string, unknown>>`
        select request_id, service_id, framework, to_char(period, 'YYYY-MM') as month, on_time, due_at, answered_at
          from feedback.request_outcomes order by due_at`.execute(database.db)
    ).rows

  it('each decided request is kept once, in the month it was decided, however often its event comes', async () => {
    const service = randomUUID()
    const onTime = await publishDecided(database.db, service, {
      dueAt: '2025-04-30T22:59:59.999Z', // the end of 30 April in London (BST)
      answeredAt: '2025-04-28T10:00:00Z',
    })
    const unanswered = await publishDecided(database.db, service, {
      dueAt: '2025-05-01T22:59:59.999Z',
      answeredAt: null,
    })
    const late = await publishDecided(database.db, service, {
      dueAt: '2025-03-31T22:59:59.999Z', // answered late, in April, before the deadline job ran: March's
      answeredAt: '2025-04-01T09:00:00Z',
      framework: 'nhs-care',
    })
    expect(await runJobs()).toEqual({ delivered: 3, failed: 0, scheduled: 0 })
    // At-least-once delivery: the same request's event again (a redelivery after a crash) adds nothing.
    await publishDecided(database.db, service, {
      requestId: onTime,
      dueAt: '2025-04-30T22:59:59.999Z',
      answeredAt: null,
    })
    expect(await runJobs()).toEqual({ delivered: 1, failed: 0, scheduled: 0 })

    expect(await outcomes()).toEqual([
      {
        request_id: late,
        service_id: service,
        framework: 'nhs-care',
        month: '2025-03',
        on_time: false,
        due_at: new Date('2025-03-31T22:59:59.999Z'),
        answered_at: new Date('2025-04-01T09:00:00Z'),
      },
      expect.objectContaining({
        request_id: onTime,
        month: '2025-04',
        on_time: true,
        answered_at: new Date('2025-04-28T10:00:00Z'),
      }),
      expect.objectContaining({ request_id: unanswered, month: '2025-05', on_time: false, answered_at: null }),
    ])
  })

  it.each([
    ['no request id', { requestId: undefined }],
    ['a framework that is not one', { framework: 'fishing' }],
    ['a time that is not one', { dueAt: 'soon' }],
    ['on time without an answer', { answeredAt: null, onTime: true }],
  ])('a malformed event (%s) fails its delivery and stores nothing', async (_what, change) => {
    const payload = {
      requestId: randomUUID(),
      serviceId: randomUUID(),
      framework: 'education',
      dueAt: '2025-04-30T22:59:59.999Z',
      answeredAt: '2025-04-02T09:00:00Z',
      onTime: true,
      ...change,
    }
    await publishEvent(database.db, { type: 'choice.request-decided', payload }, NOW)
    expect(await runJobs()).toEqual({ delivered: 0, failed: 1, scheduled: 0 })
    expect(await outcomes()).toEqual([])
  })
})
