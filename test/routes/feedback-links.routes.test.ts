import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  truncateSchemas,
  type TestApp,
} from '../../src/platform/testing/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { csrfOf, insertProvider, signedInAs } from '../../src/modules/accounts/test/factories.ts'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let densham: string
  let other: string
  let clock: Date

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { now: () => clock })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    clock = new Date()
    await truncateSchemas(t.database, ['accounts', 'directory', 'feedback'])
    densham = await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    other = await insertProvider(t, { ref: 'A81002', name: 'Queens Park Medical Centre', framework: 'nhs-care' })
  })

  const staff = () => signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])

  /** Staff make links through the page; returns the links' paths as the page shows them. */
  async function makeLinks(count: number): Promise<string[]> {
    const { client } = await staff()
    const res = await client.submitForm(`/providers/${densham}/feedback-links`, { count: String(count) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const doc = parseHtml(res.body)
    expect(doc.querySelectorAll('img[alt^="QR code for feedback link"]')).toHaveLength(count)
    return doc.querySelectorAll('a[data-feedback-link]').map((a) => new URL(a.getAttribute('href')!).pathname)
  }
  const responses = async () =>
    (
      await sql<Record<string, unknown>>`
        select service_id, answer, mode, comment, comment_state from feedback.responses`.execute(t.database.db)
    ).rows

  it('provider staff make single-use links with QR codes; only hashes are stored, and making them is audited', async () => {
    const links = await makeLinks(3)
    expect(links).toHaveLength(3)
    expect(new Set(links).size).toBe(3)
    const { rows } = await sql<{ token_hash: string; service_id: string }>`
      select token_hash, service_id from feedback.tokens`.execute(t.database.db)
    expect(rows.map((r) => r.service_id)).toEqual([densham, densham, densham])
    const tokens = links.map((l) => l.split('/').pop()!)
    for (const token of tokens) expect(JSON.stringify(rows)).not.toContain(token)
    const audit = await sql<{ action: string; details: Record<string, unknown> }>`
      select action, details from platform.audit_log where action = 'feedback.links.issued'`.execute(t.database.db)
    expect(audit.rows).toEqual([{ action: 'feedback.links.issued', details: expect.objectContaining({ count: 3 }) }])
    for (const token of tokens) expect(JSON.stringify(audit.rows)).not.toContain(token)
  })

  it('a visitor gives feedback through a link without an account; the link then refuses a second use (410)', async () => {
    const [link] = await makeLinks(1)
    const visitor = new TestClient(t.app)
    const page = await visitor.get(link!)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('The Densham Surgery')
    expect(page.body).toContain('Overall, how was your experience of our service?')
    const labels = parseHtml(page.body)
      .querySelectorAll('input[name=answer]')
      .map((input) => parseHtml(page.body).querySelector(`label[for=${input.id}]`)!.text.trim())
    expect(labels).toEqual(['Very good', 'Good', 'Neither good nor poor', 'Poor', 'Very poor', 'Don’t know'])

    const sent = await visitor.submitForm(link!, { answer: 'very-good', comment: 'The nurse was kind.' })
    expect(sent.headers.location).toBe('/feedback/given')
    expect(headingOf((await visitor.get('/feedback/given')).body)).toBe('Thank you for your feedback')
    expect(await responses()).toEqual([
      {
        service_id: densham,
        answer: 'very-good',
        mode: 'online',
        comment: 'The nurse was kind.',
        comment_state: 'pending',
      },
    ])

    const again = await visitor.get(link!)
    expect(again.statusCode).toBe(410)
    expect(headingOf(again.body)).toBe('This feedback link has already been used')
    // Someone who kept the form open submits it again: refused, nothing more stored.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const twice = await visitor.post(link!, { _csrf: csrf, answer: 'poor' })
    expect(twice.statusCode).toBe(410)
    expect(await responses()).toHaveLength(1)
  })

  it('two submissions of one link at the same moment store one response', async () => {
    const [link] = await makeLinks(1)
    const a = new TestClient(t.app)
    const b = new TestClient(t.app)
    const [csrfA, csrfB] = await Promise.all(
      [a, b].map(async (c) => /name="_csrf" value="([^"]+)"/.exec((await c.get(link!)).body)![1]!),
    )
    const results = await Promise.all([
      a.post(link!, { _csrf: csrfA!, answer: 'good' }),
      b.post(link!, { _csrf: csrfB!, answer: 'poor' }),
    ])
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 410])
    expect(await responses()).toHaveLength(1)
  })

  it('a link stops working 90 days after it was made (410)', async () => {
    const [link] = await makeLinks(1)
    clock = new Date(clock.getTime() + 91 * 86_400_000)
    const res = await new TestClient(t.app).get(link!)
    expect(res.statusCode).toBe(410)
    expect(headingOf(res.body)).toBe('This feedback link has expired')
  })

  it('an unknown or forged link is a page not found, and stores nothing', async () => {
    const visitor = new TestClient(t.app)
    const forged = `/feedback/give/${'A'.repeat(43)}`
    expect((await visitor.get(forged)).statusCode).toBe(404)
    expect((await visitor.get('/feedback/give/not-a-token')).statusCode).toBe(404)
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/sign-in')).body)![1]!
    expect((await visitor.post(forged, { _csrf: csrf, answer: 'good' })).statusCode).toBe(404)
    expect(await responses()).toEqual([])
  })

  it('an answer is required and a comment is limited; the link stays unused', async () => {
    const [link] = await makeLinks(1)
    const visitor = new TestClient(t.app)
    const res = await visitor.submitForm(link!, { comment: 'x'.repeat(1001) })
    expect(res.statusCode).toBe(400)
    expect(errorSummaryOf(res.body)).toEqual([
      'Select how your experience of the service was',
      'Your comment must be 1,000 characters or fewer',
    ])
    expect((await visitor.get(link!)).statusCode).toBe(200)
  })

  it('a flood of submissions from one address is limited (429) after 10 a minute', async () => {
    const links = await makeLinks(12)
    const visitor = new TestClient(t.app)
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get(links[0]!)).body)![1]!
    const statuses: number[] = []
    for (const link of links) statuses.push((await visitor.post(link, { _csrf: csrf, answer: 'good' })).statusCode)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(303))
    expect(statuses.slice(10)).toEqual([429, 429])
    expect(await responses()).toHaveLength(10)
    // Someone else, from another address, is not held up.
    const neighbour = new TestClient(t.app)
    expect((await neighbour.submitForm(links[11]!, { answer: 'good' })).statusCode).toBe(303)
  })

  it('staff of another organisation cannot make links for a provider (403, audited); an unknown one is 404', async () => {
    const { client } = await staff()
    expect((await client.get(`/providers/${other}/feedback-links`)).statusCode).toBe(403)
    const post = await client.post(`/providers/${other}/feedback-links`, { _csrf: await csrfOf(client), count: '5' })
    expect(post.statusCode).toBe(403)
    expect((await client.get('/providers/00000000-0000-4000-8000-000000000000/feedback-links')).statusCode).toBe(404)
    expect((await sql`select 1 from feedback.tokens`.execute(t.database.db)).rows).toEqual([])
    const denied = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'access.denied' and object_type = 'service' and object_id = ${other}`.execute(t.database.db)
    expect(denied.rows[0]!.n).toBe(2)
  })

  it('a number of links outside 1 to 50 is refused with an error summary', async () => {
    const { client } = await staff()
    const res = await client.submitForm(`/providers/${densham}/feedback-links`, { count: '51' })
    expect(res.statusCode).toBe(400)
    expect(errorSummaryOf(res.body)).toEqual(['Enter a whole number of links from 1 to 50'])
    expect((await sql`select 1 from feedback.tokens`.execute(t.database.db)).rows).toEqual([])
  })
})
