import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, parseHtml, TestClient, testDialects, type TestApp } from '../../src/platform/testing/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { auditActions, csrfOf, signedInAs } from '../../src/modules/accounts/test/factories.ts'
import { findProviderById } from '../../src/modules/directory/index.ts'
import {
  answer,
  decideRequests,
  importNurseries,
  uploadCounts,
} from '../../src/modules/feedback/test/publication.factories.ts'

const NOW = new Date('2025-05-10T12:00:00Z') // the latest complete month is April 2025
const [A, B, C] = ['319354', 'EY101465', 'EY561038']
const KIND = 'Lovely staff and my son is happy there'
const PERSONAL = 'Ask Jane Smith at 12 Acacia Avenue about the fees'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let id: Record<string, string>
  const commentId = async (text: string) =>
    (await sql<{ id: string }>`select id from feedback.responses where comment = ${text}`.execute(t.database.db))
      .rows[0]!.id
  const organisationOf = async (serviceId: string) =>
    (await findProviderById(t.database.db, serviceId))!.organisation.id

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { now: () => NOW })
    id = await importNurseries(t.database, [A, B, C])
    const db = t.database.db
    await uploadCounts(db, id[A]!, 'paper', '2025-04', {
      'very-good': 40,
      good: 20,
      neither: 5,
      poor: 10,
      'very-poor': 5,
    })
    await answer(db, id[A]!, 'very-good', 1, '2025-04', KIND)
    await answer(db, id[A]!, 'poor', 1, '2025-03', PERSONAL)
    await answer(db, id[B]!, 'good', 4, '2025-04')
    // Choice requests, as the choice module's events report them: A answered 19 of 20 in time, B had 9.
    await decideRequests(db, id[A]!, '2025-04', 19, 1)
    await decideRequests(db, id[B]!, '2025-04', 9, 0)
  }, 120_000)
  afterAll(async () => t?.close())

  it('anyone downloads the latest month and a past month as CSV and JSON, described by the Data Package', async () => {
    const visitor = new TestClient(t.app)
    const csv = await visitor.get('/open-data/feedback.csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="openchoice-feedback-2025-04.csv"')
    expect(csv.headers['access-control-allow-origin']).toBe('*')
    const [header, ...lines] = csv.body.trimEnd().split('\r\n')
    expect(header).toMatch(/^service_id,provider_name,organisation_name,framework,service_type,local_authority,period/)
    expect(lines.map((l) => l.split(',')[6])).toEqual(['month', 'rolling-12-months']) // A only: B has 4 responses
    const json = await visitor.get('/open-data/feedback/2025-04.json')
    expect(JSON.parse(json.body).records).toHaveLength(2)
    const march = JSON.parse((await visitor.get('/open-data/feedback/2025-03.json')).body)
    expect(march.records).toEqual([]) // March has 1 response: nothing is published
    for (const url of ['/open-data/feedback/2025-05.csv', '/open-data/feedback/2025-13.json']) {
      expect((await visitor.get(url)).statusCode, url).toBe(404) // not over yet; not a month
    }
    const times = await visitor.get('/open-data/feedback/response-times.csv')
    expect(times.headers['content-disposition']).toBe('attachment; filename="openchoice-response-times-2025-04.csv"')
    const [timesHeader, ...timesLines] = times.body.trimEnd().split('\r\n')
    expect(timesHeader!.split(',').slice(-5)).toEqual([
      'decided_requests',
      'answered_on_time',
      'on_time_percent',
      'on_time_ci_low',
      'on_time_ci_high',
    ])
    expect(timesLines.map((l) => l.split(',').slice(6))).toEqual([
      ['month', '2025-04', '2025-04', '20', '20', '100', '83.9', '100'], // 19 of 20, rounded as every count is
      ['rolling-12-months', '2024-05', '2025-04', '20', '20', '100', '83.9', '100'],
    ])
    expect(JSON.parse((await visitor.get('/open-data/feedback/response-times/2025-03.json')).body).records).toEqual([])
    const meta = await visitor.get('/open-data/feedback/datapackage.json')
    expect(JSON.parse(meta.body).resources.map((r: { name: string }) => r.name)).toEqual([
      'feedback-csv',
      'feedback-json',
      'response-times-csv',
      'response-times-json',
    ])
    const page = parseHtml((await visitor.get('/open-data')).body)
    const links = page.querySelectorAll('#feedback ~ ul a').map((a) => a.getAttribute('href'))
    expect(links).toEqual(expect.arrayContaining(['/open-data/feedback.csv', '/open-data/feedback/datapackage.json']))
  })

  it('anyone reads a nursery’s figures with a chart, the table beside it and the comparison in words', async () => {
    const visitor = new TestClient(t.app)
    const res = await visitor.get(`/providers/${id[A]}/feedback`)
    expect(res.statusCode).toBe(200)
    const doc = parseHtml(res.body)
    expect(doc.querySelector('h1')!.text).toBe('Feedback about Rosewood Nursery')
    const chart = doc.querySelector('svg[role=img]')!
    expect(chart.getAttribute('aria-labelledby')).toBe('chart-title chart-desc')
    expect(chart.querySelector('desc')!.text).toContain('1 of 12 months have figures')
    const rows = doc
      .querySelectorAll('table tbody tr')
      .map((r) => r.querySelectorAll('th, td').map((c) => c.text.trim()))
    expect(rows[0]).toEqual([
      'April 2025',
      '80',
      '75% (95% confidence interval 64.5% to 83.2%)',
      '18.8% (95% confidence interval 11.7% to 28.7%)',
    ])
    expect(rows[1]).toEqual(['March 2025', 'Fewer than 10 responses'])
    expect(rows[2]).toEqual(['February 2025', 'No data yet'])
    // Leeds is A and B alone, England the same three nurseries: too close to call either way.
    expect(doc.querySelector('[data-testid=comparisons]')!.text).toContain(
      'No clear difference from Childcare on non-domestic premises services in Leeds',
    )
    // Response times to choice requests: a short table of the month and the year.
    const times = (page: ReturnType<typeof parseHtml>) =>
      page
        .querySelectorAll('[data-testid=response-times] tbody tr')
        .map((r) => r.querySelectorAll('th, td').map((c) => c.text.trim()))
    expect(doc.querySelector('#response-times')!.text).toBe(
      'Answered choice requests within the Choice Charter standard',
    )
    expect(times(doc)).toEqual([
      ['April 2025', '20', '20', '100% (95% confidence interval 83.9% to 100%)'],
      ['May 2024 to April 2025', '20', '20', '100% (95% confidence interval 83.9% to 100%)'],
    ])
    const b = parseHtml((await visitor.get(`/providers/${id[B]}/feedback`)).body)
    expect(b.text).toContain('Fewer than 10 responses')
    expect(times(b).map((r) => r[1])).toEqual(['Fewer than 10 requests', 'Fewer than 10 requests'])
    const c = parseHtml((await visitor.get(`/providers/${id[C]}/feedback`)).body)
    expect(c.text).toContain('No data yet')
    expect(times(c).map((r) => r[1])).toEqual(['No requests yet', 'No requests yet'])
    expect((await visitor.get('/providers/00000000-0000-0000-0000-000000000000/feedback')).statusCode).toBe(404)
  })

  it('a moderator publishes a kind comment and rejects one with personal details; both are audited', async () => {
    const admin = await signedInAs(t, 'moderator@example.org', [{ role: 'admin' }])
    const [kind, personal] = [await commentId(KIND), await commentId(PERSONAL)]
    const queue = await admin.client.get('/moderation/comments')
    expect(queue.body).toContain(KIND)
    expect(queue.body).toContain(PERSONAL)
    // Before moderation, no comment is on the public page.
    expect((await new TestClient(t.app).get(`/providers/${id[A]}/feedback`)).body).not.toContain(KIND)

    const published = await admin.client.submitForm(
      '/moderation/comments',
      { decision: 'publish' },
      `/moderation/comments/${kind}`,
    )
    expect(published.headers.location).toBe('/moderation/comments?done=published')
    const undecided = await admin.client.submitForm('/moderation/comments', {}, `/moderation/comments/${personal}`)
    expect(undecided.statusCode).toBe(400)
    expect(undecided.body).toContain('Select publish, or why the comment is rejected')
    const rejected = await admin.client.submitForm(
      '/moderation/comments',
      { decision: 'personal-data' },
      `/moderation/comments/${personal}`,
    )
    expect(rejected.headers.location).toBe('/moderation/comments?done=rejected')
    const again = await admin.client.post(`/moderation/comments/${kind}`, {
      _csrf: await csrfOf(admin.client),
      decision: 'abuse',
    })
    expect(again.statusCode).toBe(409)

    expect(await auditActions(t)).toEqual(
      expect.arrayContaining(['feedback.comment.published', 'feedback.comment.rejected']),
    )
    const page = (await new TestClient(t.app).get(`/providers/${id[A]}/feedback`)).body
    expect(page).toContain(KIND)
    expect(page).not.toContain('Acacia')
    const { rows } = await sql<{ comment: string; rejection_reason: string }>`
      select comment, rejection_reason from feedback.responses where id = ${personal}`.execute(t.database.db)
    expect(rows[0]).toEqual({ comment: '', rejection_reason: 'personal-data' }) // the text is not kept

    const resident = await signedInAs(t, 'not.a.moderator@example.org')
    expect((await resident.client.get('/moderation/comments')).statusCode).toBe(403)
  })

  it('the nursery’s staff reply once in public; staff of another nursery cannot', async () => {
    const kind = await commentId(KIND)
    const other = await signedInAs(t, 'staff.b@example.org', [
      { role: 'provider-staff', scope: await organisationOf(id[B]!) },
    ])
    const refused = await other.client.post(`/providers/${id[A]}/feedback/comments/${kind}/reply`, {
      _csrf: await csrfOf(other.client),
      body: 'We are not Rosewood',
    })
    expect(refused.statusCode).toBe(403)

    const staff = await signedInAs(t, 'staff.a@example.org', [
      { role: 'provider-staff', scope: await organisationOf(id[A]!) },
    ])
    const url = `/providers/${id[A]}/feedback`
    const action = `${url}/comments/${kind}/reply`
    const empty = await staff.client.submitForm(url, { body: '  ' }, action)
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter your reply')
    const sent = await staff.client.submitForm(url, { body: 'Thank you, we will tell the team.' }, action)
    expect(sent.headers.location).toBe(`${url}?replied=1#comment-${kind}`)
    const twice = await staff.client.post(action, { _csrf: await csrfOf(staff.client), body: 'Again' })
    expect(twice.statusCode).toBe(409)

    const page = parseHtml((await new TestClient(t.app).get(url)).body)
    expect(page.querySelector(`#comment-${kind}`)!.text).toContain('Thank you, we will tell the team.')
    expect(page.querySelector(`#comment-${kind}`)!.text).not.toContain('Again')
    expect(await auditActions(t)).toContain('feedback.comment.replied')
  })
})
