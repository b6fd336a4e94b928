import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { moduleDb, type Database } from '../db.ts'
import { platformModule } from '../platform.module.ts'
import { createTestDatabase, testDialects } from '../testing/index.ts'
import type { NotificationRow, NotificationsTables } from './notifications.tables.ts'
import {
  deliverQueuedNotifications,
  InvalidNotificationError,
  queueEmail,
  startNotificationDispatcher,
  type EmailToQueue,
} from './notifications.service.ts'
import { NotifySender } from './notify.sender.ts'
import { OutboxOnlySender } from './outbox.sender.ts'
import type { NotificationSender, OutgoingNotification } from './sender.ts'
import { created, fakeNotifyKey, notifyError, startFakeNotify } from './test/fake-notify.ts'

const email = (over: Partial<EmailToQueue> = {}): EmailToQueue => ({
  to: 'ada.lovelace@example.org',
  template: 'accounts.verify-email',
  subject: 'Confirm your email address',
  body: 'Hello Ada,\n\nConfirm your email address: https://openchoice.example/verify/secret-token',
  ...over,
})

/** A sender that records what it is asked to send, after a pause that lets other dispatchers run meanwhile. */
class RecordingSender implements NotificationSender {
  readonly name = 'recording'
  readonly sent: string[] = []
  async send(n: OutgoingNotification) {
    await new Promise((r) => setTimeout(r, 2))
    this.sent.push(n.id)
    return { providerId: `recorded-${n.id}` }
  }
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  const key = fakeNotifyKey()
  const templateId = randomUUID()
  let notify: Awaited<ReturnType<typeof startFakeNotify>>
  let sender: NotifySender

  beforeAll(async () => {
    database = await createTestDatabase(dialect, [platformModule])
    notify = await startFakeNotify(key)
    sender = new NotifySender({ apiKey: key.apiKey, templateId, baseUrl: notify.baseUrl })
  })
  afterAll(async () => {
    await notify?.close()
    await database?.close()
  })
  beforeEach(async () => {
    await sql`truncate platform.notifications`.execute(database.db)
    notify.requests.length = 0
    notify.answerWith(() => ({ status: 201, body: created() }))
  })

  async function row(id: string): Promise<NotificationRow> {
    return moduleDb<NotificationsTables>(database.db)
      .selectFrom('platform.notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  }

  async function rowCount(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from platform.notifications`.execute(
      database.db,
    )
    return rows[0]!.n
  }

  /** Seconds until the message is due again, by the database's clock. */
  async function secondsUntilDue(id: string): Promise<number> {
    const { rows } = await sql<{ s: number }>`
      select extract(epoch from next_attempt_at - now())::float8 as s from platform.notifications where id = ${id}`.execute(
      database.db,
    )
    return rows[0]!.s
  }

  /** Moves time on for one message: makes it due now, as if its backoff had passed. */
  async function makeDue(id: string): Promise<void> {
    await sql`update platform.notifications set next_attempt_at = now() - interval '1 second' where id = ${id}`.execute(
      database.db,
    )
  }

  it('an email queued by a module is sent through Notify once, and recorded as sent', async () => {
    const providerId = randomUUID()
    notify.answerWith(() => ({ status: 201, body: created(providerId) }))
    const { id } = await queueEmail(database.db, email({ reference: 'account-7' }))
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0, sent_at: null, channel: 'email' })

    const report = await deliverQueuedNotifications(database.db, sender, { batchSize: 10 })
    expect(report).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0, released: 0 })
    const sent = await row(id)
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, provider_id: providerId, last_error: null })
    expect(sent.sent_at).toBeInstanceOf(Date)
    expect(notify.requests).toHaveLength(1)
    expect(notify.requests[0]!.body).toMatchObject({
      email_address: 'ada.lovelace@example.org',
      template_id: templateId,
      personalisation: { subject: 'Confirm your email address', body: email().body },
      reference: 'account-7',
    })

    expect((await deliverQueuedNotifications(database.db, sender)).claimed).toBe(0)
    expect(notify.requests).toHaveLength(1)
  })

  it('an email queued in a transaction that rolls back is never sent; one that commits is', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await queueEmail(trx, email({ subject: 'Rolled back' }))
        throw new Error('the business change failed')
      }),
    ).rejects.toThrow('the business change failed')
    await database.db.transaction().execute(async (trx) => {
      await queueEmail(trx, email({ subject: 'Committed' }))
    })

    const report = await deliverQueuedNotifications(database.db, sender)
    expect(report.sent).toBe(1)
    expect(
      notify.requests.map((r) => (r.body as { personalisation: { subject: string } }).personalisation.subject),
    ).toEqual(['Committed'])
    expect(await rowCount()).toBe(1)
  })

  it('an invalid address is refused with a clear error that does not repeat it, and its transaction rolls back', async () => {
    const failure = await database.db
      .transaction()
      .execute(async (trx) => {
        await queueEmail(trx, email({ subject: 'First' }))
        await queueEmail(trx, email({ to: 'ada at example dot org' }))
      })
      .catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(InvalidNotificationError)
    expect((failure as InvalidNotificationError).statusCode).toBe(422)
    expect((failure as Error).message).toBe(
      'Cannot queue the "accounts.verify-email" email: to is not a valid email address',
    )
    await expect(queueEmail(database.db, email({ subject: 'Line one\nLine two', body: ' ' }))).rejects.toThrow(
      /subject must be one line; body is empty/,
    )
    expect(await rowCount()).toBe(0)
  })

  it.each([
    [500, 'Exception', 'Internal server error'],
    [429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'],
  ])(
    'Notify answers %i: the email is retried later, each wait twice the last, then sent',
    async (status, error, text) => {
      notify.answerWith(() => notifyError(status, error, text))
      const { id } = await queueEmail(database.db, email())

      expect(await deliverQueuedNotifications(database.db, sender, { backoffSeconds: 60 })).toMatchObject({
        retrying: 1,
      })
      expect(await row(id)).toMatchObject({
        status: 'queued',
        attempts: 1,
        last_error: `Notify answered ${status}: ${error}: ${text}`,
      })
      expect(await secondsUntilDue(id)).toBeGreaterThan(55)
      expect(await secondsUntilDue(id)).toBeLessThanOrEqual(60)
      expect((await deliverQueuedNotifications(database.db, sender)).claimed).toBe(0) // not due yet
      expect(notify.requests).toHaveLength(1)

      await makeDue(id)
      await deliverQueuedNotifications(database.db, sender, { backoffSeconds: 60 })
      expect(await row(id)).toMatchObject({ status: 'queued', attempts: 2 })
      expect(await secondsUntilDue(id)).toBeGreaterThan(115)
      expect(await secondsUntilDue(id)).toBeLessThanOrEqual(120)

      notify.answerWith(() => ({ status: 201, body: created('notify-id-3') }))
      await makeDue(id)
      await deliverQueuedNotifications(database.db, sender, { backoffSeconds: 60 })
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, provider_id: 'notify-id-3', last_error: null })
      expect(notify.requests).toHaveLength(3)
    },
  )

  it('an email that fails five times is marked failed and never tried again', async () => {
    notify.answerWith(() => notifyError(503, 'Exception', 'Service unavailable'))
    const { id } = await queueEmail(database.db, email())
    for (let attempt = 1; attempt <= 5; attempt++) {
      await makeDue(id)
      const report = await deliverQueuedNotifications(database.db, sender)
      expect(report).toMatchObject(attempt < 5 ? { retrying: 1 } : { failed: 1 })
    }
    const failed = await row(id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 5, sent_at: null, provider_id: null })
    expect(failed.last_error).toContain('503')
    await makeDue(id)
    expect((await deliverQueuedNotifications(database.db, sender)).claimed).toBe(0)
    expect(notify.requests).toHaveLength(5)
  })

  it('Notify rejects the email (400): it is marked failed at once and not retried', async () => {
    notify.answerWith(() => notifyError(400, 'BadRequestError', 'Missing personalisation: body'))
    const { id } = await queueEmail(database.db, email())
    expect(await deliverQueuedNotifications(database.db, sender)).toMatchObject({ failed: 1, retrying: 0 })
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'Notify answered 400: BadRequestError: Missing personalisation: body',
    })
    await makeDue(id)
    expect((await deliverQueuedNotifications(database.db, sender)).claimed).toBe(0)
    expect(notify.requests).toHaveLength(1)
  })

  it('three dispatchers running at once never send the same email twice', async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 40; i++) ids.add((await queueEmail(database.db, email({ subject: `Message ${i}` }))).id)
    const senders = [new RecordingSender(), new RecordingSender(), new RecordingSender()]
    const drain = async (s: RecordingSender) => {
      while ((await deliverQueuedNotifications(database.db, s, { batchSize: 3 })).claimed > 0);
    }
    await Promise.all(senders.map(drain))

    const all = senders.flatMap((s) => s.sent)
    expect(all).toHaveLength(40)
    expect(new Set(all)).toEqual(ids)
    const { rows } = await sql<{ status: string; attempts: number; n: number }>`
      select status, attempts, count(*)::int as n from platform.notifications group by status, attempts`.execute(
      database.db,
    )
    expect(rows).toEqual([{ status: 'sent', attempts: 1, n: 40 }])
  })

  it.runIf(dialect === 'postgres')(
    'a dispatcher skips emails another has locked, without waiting for it (SKIP LOCKED)',
    async () => {
      const first = await queueEmail(database.db, email({ subject: 'Locked' }))
      const second = await queueEmail(database.db, email({ subject: 'Free' }))
      const other = await database.db.startTransaction().execute()
      try {
        await sql`select id from platform.notifications where id = ${first.id} for update`.execute(other)
        const recorder = new RecordingSender()
        const report = await Promise.race([
          deliverQueuedNotifications(database.db, recorder),
          new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5_000)),
        ])
        expect(report).toMatchObject({ claimed: 1, sent: 1 })
        expect(recorder.sent).toEqual([second.id])
      } finally {
        await other.rollback().execute()
      }
      expect((await deliverQueuedNotifications(database.db, new OutboxOnlySender())).sent).toBe(1)
      expect(await row(first.id)).toMatchObject({ status: 'sent', provider_id: `outbox-${first.id}` })
    },
  )

  it('an email left sending by a dispatcher that died is sent again once its lease has run out', async () => {
    const stale = await queueEmail(database.db, email({ subject: 'Stale' }))
    const live = await queueEmail(database.db, email({ subject: 'Live' }))
    await sql`update platform.notifications set status = 'sending', attempts = 1,
                next_attempt_at = now() - interval '1 second' where id = ${stale.id}`.execute(database.db)
    await sql`update platform.notifications set status = 'sending', attempts = 1,
                next_attempt_at = now() + interval '10 minutes' where id = ${live.id}`.execute(database.db)
    const recorder = new RecordingSender()
    await deliverQueuedNotifications(database.db, recorder)
    expect(recorder.sent).toEqual([stale.id])
    expect(await row(stale.id)).toMatchObject({ status: 'sent', attempts: 2 })
    expect(await row(live.id)).toMatchObject({ status: 'sending', attempts: 1 })
  })

  it('a late outcome from a dispatcher whose claim was taken over is not recorded over the new one', async () => {
    const { id } = await queueEmail(database.db, email())
    /** A sender whose send waits until the test settles it. */
    const held = (name: string) => {
      let settle: ((outcome: { providerId: string } | Error) => void) | undefined
      const sender: NotificationSender = {
        name,
        send: () =>
          new Promise((resolve, reject) => {
            settle = (o) => (o instanceof Error ? reject(o) : resolve(o))
          }),
      }
      return { sender, settle: (o: { providerId: string } | Error) => settle!(o), started: () => settle !== undefined }
    }
    // The first dispatcher's send hangs past its lease; a second dispatcher takes the message over.
    const first = held('first')
    const firstRun = deliverQueuedNotifications(database.db, first.sender, { leaseSeconds: 0 })
    await expect.poll(first.started).toBe(true)
    await makeDue(id)
    const second = held('second')
    const secondRun = deliverQueuedNotifications(database.db, second.sender)
    await expect.poll(second.started).toBe(true)

    // The first one's answer arrives while the second is still sending: it is not recorded.
    first.settle(new Error('socket hang up'))
    await firstRun
    expect(await row(id)).toMatchObject({ status: 'sending', attempts: 2, last_error: null })
    second.settle({ providerId: 'second-id' })
    await secondRun
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, provider_id: 'second-id' })
  })

  it('a stopping dispatcher gives back the emails it claimed but has not sent', async () => {
    const queued = [await queueEmail(database.db, email()), await queueEmail(database.db, email())]
    const stopping = AbortSignal.abort()
    const report = await deliverQueuedNotifications(database.db, new RecordingSender(), { signal: stopping })
    expect(report).toMatchObject({ claimed: 2, released: 2, sent: 0 })
    for (const { id } of queued) expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0 })
    expect(await secondsUntilDue(queued[0]!.id)).toBeLessThanOrEqual(0)
  })

  it('the background dispatcher sends queued emails, and stops cleanly', async () => {
    const log = pino({ level: 'silent' })
    const recorder = new RecordingSender()
    const stop = startNotificationDispatcher(database.db, recorder, log, 20)
    const { id } = await queueEmail(database.db, email())
    await expect.poll(() => recorder.sent, { timeout: 5_000 }).toEqual([id])
    await stop()
    await queueEmail(database.db, email())
    await new Promise((r) => setTimeout(r, 100))
    expect(recorder.sent).toEqual([id]) // nothing sent after stop
  })

  it('logs ids and outcomes, never the recipient, subject or body', async () => {
    let output = ''
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          output += String(chunk)
          done()
        },
      }),
    )
    const sent = await queueEmail(database.db, email())
    await deliverQueuedNotifications(database.db, sender, { log })
    notify.answerWith(() => notifyError(500, 'Exception', 'Internal server error'))
    const retried = await queueEmail(database.db, email())
    await deliverQueuedNotifications(database.db, sender, { log })
    notify.answerWith(() => notifyError(400, 'BadRequestError', 'Bad request'))
    await makeDue(retried.id)
    await deliverQueuedNotifications(database.db, sender, { log })

    const lines = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => [l.notificationId, l.status])).toEqual([
      [sent.id, 'sent'],
      [retried.id, 'queued'],
      [retried.id, 'failed'],
    ])
    for (const secret of ['ada.lovelace', 'Confirm your email', 'Hello Ada', 'secret-token']) {
      expect(output).not.toContain(secret)
    }
  })
})
