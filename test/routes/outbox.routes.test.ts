import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  type TestApp,
} from '../../src/platform/testing/index.ts'
import { deliverQueuedNotifications, OutboxOnlySender, queueEmail } from '../../src/platform/index.ts'
import { modules } from '../../src/modules/registry.ts'

describe.each(testDialects())('%s', (dialect) => {
  describe('in development', () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(dialect, modules)
    })
    afterAll(async () => t?.close())

    it('developer reads the emails the service has queued on the outbox page, newest first', async () => {
      await sql`truncate platform.notifications`.execute(t.database.db)
      const empty = await new TestClient(t.app).get('/dev/outbox')
      expect(empty.body).toContain('There are no messages yet.')

      await queueEmail(t.database.db, {
        to: 'grace.hopper@example.org',
        template: 'accounts.reset-password',
        subject: 'Reset your password',
        body: 'Hello Grace,\nReset your password: https://openchoice.example/reset/abc\n<script>alert(1)</script>',
      })
      await deliverQueuedNotifications(t.database.db, new OutboxOnlySender())
      await queueEmail(t.database.db, {
        to: 'alan.turing@example.org',
        template: 'accounts.verify-email',
        subject: 'Confirm your email address',
        body: 'Hello Alan',
      })

      const res = await new TestClient(t.app).get('/dev/outbox')
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(headingOf(res.body)).toBe('Development outbox')
      const doc = parseHtml(res.body)
      expect(doc.querySelector('title')?.text).toMatch(/^Development outbox – /)
      expect(doc.querySelector('main strong')?.text).toContain('This page only exists in development.')

      const cards = doc.querySelectorAll('main h2').map((h) => h.text.trim())
      expect(cards).toEqual(['Confirm your email address', 'Reset your password'])
      /** A message card's rows, label → value, read from its description list. */
      const fields = (card: number): Record<string, string> => {
        const list = doc.querySelectorAll('main dl')[card]!
        const values = list.querySelectorAll('dd').map((dd) => dd.text.trim())
        return Object.fromEntries(list.querySelectorAll('dt').map((dt, k) => [dt.text.trim(), values[k]!]))
      }
      expect(fields(0)).toMatchObject({ To: 'alan.turing@example.org', Status: 'Queued', Message: 'Hello Alan' })
      expect(fields(1)).toMatchObject({
        To: 'grace.hopper@example.org',
        Status: 'Sent',
        Template: 'accounts.reset-password',
      })
      expect(fields(1).Queued).toMatch(/^\d{1,2} \w+ \d{4} at \d{2}:\d{2}:\d{2}$/)
      expect(fields(1).Sent).toMatch(/\d{4}/)
      // The body keeps its lines, and what is in it is shown as text, never run as HTML.
      expect(res.body).toContain('Hello Grace,<br />')
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
      expect(res.body).not.toContain('<script>alert(1)</script>')
    })

    it('answers only this machine, even when someone forgets to set NODE_ENV=production', async () => {
      const fromElsewhere = await t.app.inject({ url: '/dev/outbox', remoteAddress: '203.0.113.7' })
      expect(fromElsewhere.statusCode).toBe(404)
      expect(fromElsewhere.body).not.toContain('Development outbox')
    })
  })

  describe('in production', () => {
    let t: TestApp
    beforeAll(async () => {
      t = await createTestApp(dialect, modules, { config: { env: 'production' } })
    })
    afterAll(async () => t?.close())

    it('the outbox page does not exist, so no one can read other people’s emails', async () => {
      await queueEmail(t.database.db, {
        to: 'grace.hopper@example.org',
        template: 'accounts.reset-password',
        subject: 'Reset your password',
        body: 'Hello Grace',
      })
      const res = await new TestClient(t.app).get('/dev/outbox')
      expect(res.statusCode).toBe(404)
      expect(headingOf(res.body)).toBe('Page not found')
      expect(res.body).not.toContain('grace.hopper')
      expect(t.app.hasRoute({ method: 'GET', url: '/dev/outbox' })).toBe(false)
    })
  })
})
