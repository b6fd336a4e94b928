import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { publishEvent, type Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { useFeedbackDatabase } from './factories.ts'
import { cachedResponseTimes, providerResponseTimes } from '../response-times.service.ts'
import { forgetPublications } from '../publication.service.ts'
import { decideRequests, deliverEvents, importNurseries, publishDecided } from './publication.factories.ts'

const NOW = new Date('2025-05-10T12:00:00Z')

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  beforeEach(async () => {
    await sql`truncate platform.events, platform.event_deliveries, platform.event_handlers`.execute(database.db)
    forgetPublications(database.db)
  })

  const runJobs = () => deliverEvents(database.db, { maxAttempts: 1 })

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

  it('an analyst reads each nursery’s response times for April 2025 and the year to it, rounded as satisfaction is', async () => {
    const id = await importNurseries(database, ['319354', 'EY101465'])
    const [a, b] = [id['319354']!, id['EY101465']!]
    const db = database.db
    await decideRequests(db, a, '2025-04', 19, 1)
    await decideRequests(db, a, '2025-03', 6, 6)
    await decideRequests(db, a, '2024-04', 0, 10) // before the rolling year
    await decideRequests(db, b, '2025-04', 9, 0) // too few to publish
    await decideRequests(db, randomUUID(), '2025-04', 10, 0) // a service the directory does not know

    const rows = await cachedResponseTimes(db, '2025-04')
    expect(rows.map((r) => [r.provider.name, r.period, r.figures])).toEqual([
      // 19 of 20 on time: 19 rounds to 20, so 20 of 20 is published: 100% (Wilson 83.9% to 100%).
      [
        'Rosewood Nursery',
        { kind: 'month', from: '2025-04', to: '2025-04' },
        { level: 'provider', decided: 20, onTime: { count: 20, percentage: { percent: 100, low: 83.9, high: 100 } } },
      ],
      // May 2024 to April 2025: 25 of 32, published as 25 of 30 = 83.3%; z²/n = 0.128049,
      // centre = 0.897357/1.128049 = 0.795495, half = 1.737481 × √(0.004630 + 0.001067) = 0.131139 → 66.4% to 92.7%.
      [
        'Rosewood Nursery',
        { kind: 'rolling-12-months', from: '2024-05', to: '2025-04' },
        { level: 'provider', decided: 30, onTime: { count: 25, percentage: { percent: 83.3, low: 66.4, high: 92.7 } } },
      ],
    ])

    // The provider's page: its own month and year; the other nursery had requests, but too few to publish.
    expect((await providerResponseTimes(db, a, '2025-04')).map((p) => p.figures?.onTime.count)).toEqual([20, 25])
    expect(await providerResponseTimes(db, b, '2025-04')).toEqual([
      expect.objectContaining({ figures: null, anyDecided: true }),
      expect.objectContaining({ figures: null, anyDecided: true }),
    ])
  })
})
