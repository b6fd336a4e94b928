import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  type TestApp,
} from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'

// The demo data's Ofsted sample has nurseries in Southwark; SE15 is a postcode district (outcode).
const NURSERIES = '/choose/early-education/find?postcode=SE15&radius=2'
const RATING_ORDER = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate']

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let client: TestClient
  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { seed: true })
    client = new TestClient(t.app)
  })
  afterAll(async () => t?.close())

  /** Each result on the find page: its name, provider id (the compare box) and its details by label. */
  function results(html: string) {
    return parseHtml(html)
      .querySelectorAll('main li')
      .filter((li) => li.querySelector('input[name=provider]'))
      .map((li) => ({
        name: li.querySelector('h3')!.text.trim(),
        id: li.querySelector('input[name=provider]')!.getAttribute('value')!,
        details: Object.fromEntries(
          li
            .querySelectorAll('.govuk-summary-list__row')
            .map((row) => [row.querySelector('dt')!.text.trim(), row.querySelector('dd')!.text.trim()]),
        ),
      }))
  }
  const milesOf = (r: ReturnType<typeof results>[number]) => parseFloat(r.details['Distance']!)
  const rankOf = (r: ReturnType<typeof results>[number]) => {
    const i = RATING_ORDER.findIndex((g) => r.details['Latest rating']!.startsWith(g))
    return i === -1 ? RATING_ORDER.length : i
  }
  const promptsAt = async (point: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from choice.prompts where point = ${point}`.execute(
        t.database.db,
      )
    ).rows[0]!.n

  it('resident opens the find page and sees the question, without results or a prompt yet', async () => {
    const before = await promptsAt('find')
    const res = await client.get('/choose/early-education/find')
    expect(res.statusCode).toBe(200)
    expect(headingOf(res.body)).toBe('Find providers near you')
    const doc = parseHtml(res.body)
    expect(doc.querySelector('input#postcode')).not.toBeNull()
    const needs = doc.querySelectorAll('select#need option').map((o) => o.text.trim())
    expect(needs).toEqual(expect.arrayContaining(['Any type of service', 'Childcare on non-domestic premises']))
    expect(results(res.body)).toEqual([])
    expect(await promptsAt('find')).toBe(before)
  })

  it('resident finds nurseries near a postcode district: nearest first, with the regulator’s word, satisfaction not invented, and the charter standard', async () => {
    const before = await promptsAt('find')
    const res = await client.get(NURSERIES)
    expect(res.statusCode).toBe(200)
    const found = results(res.body)
    expect(found.length).toBeGreaterThan(1)
    expect(found.map(milesOf)).toEqual(found.map(milesOf).sort((a, b) => a - b))
    for (const r of found) {
      expect(r.details['Distance']).toMatch(/^\d+(\.\d)? miles from SE15 \(approximate\)$/)
      expect(r.details['Registration']).toBe('Registered with Ofsted')
      expect(r.details['What people who use it say']).toBe('No data yet')
    }
    expect(
      found.some((r) =>
        /^(Outstanding|Good|Requires improvement|Inadequate) \(rated \d+ \w+ \d{4}\)$/.test(
          r.details['Latest rating']!,
        ),
      ),
    ).toBe(true)
    expect(res.body).toContain('every provider here should answer a choice request within 10 working days')
    expect(res.body).toContain('You have a right to choose')
    expect(await promptsAt('find')).toBe(before + 1)
  })

  it.each([
    ['not a postcode', 'Enter a real postcode'],
    ['ZZ99 9ZZ', 'We could not find that postcode'],
    ['', 'Enter a postcode'],
  ])('a postcode of "%s" gets an error summary linked to the postcode field', async (postcode, message) => {
    const res = await client.get(`/choose/early-education/find?postcode=${encodeURIComponent(postcode)}`)
    expect(res.statusCode).toBe(400)
    expect(errorSummaryOf(res.body)[0]).toContain(message)
    const link = parseHtml(res.body).querySelector('.govuk-error-summary a')!
    expect(link.getAttribute('href')).toBe('#postcode')
    expect(parseHtml(res.body).querySelector('#postcode-error')?.text).toContain(message)
  })

  it('an empty need finds every type of school; a need narrows the results to it; an unknown need is ignored', async () => {
    // Camden's schools in the demo data: community, voluntary aided and others.
    const schools = '/choose/education/find?postcode=NW1&radius=2'
    const all = results((await client.get(schools)).body)
    expect(new Set(all.map((r) => r.details['Type'])).size).toBeGreaterThan(1)
    const ids = all.map((r) => r.id)
    expect(results((await client.get(`${schools}&need=`)).body).map((r) => r.id)).toEqual(ids)
    expect(results((await client.get(`${schools}&need=Space+station`)).body).map((r) => r.id)).toEqual(ids)
    const res = await client.get(`${schools}&need=Community+school`)
    const community = results(res.body)
    expect(community.length).toBeGreaterThan(0)
    expect(community.length).toBeLessThan(all.length)
    for (const r of community) expect(r.details['Type']).toBe('Community school')
    expect(parseHtml(res.body).querySelector('select#need option[selected]')?.text.trim()).toBe('Community school')
  })

  it('resident sorts by rating and by name, and filters by rating', async () => {
    const byRating = results((await client.get(`${NURSERIES}&sort=rating`)).body)
    expect(byRating.map(rankOf)).toEqual(byRating.map(rankOf).sort((a, b) => a - b))
    expect(rankOf(byRating[0]!)).toBe(0)
    const byName = results((await client.get(`${NURSERIES}&sort=name`)).body).map((r) => r.name.toLowerCase())
    expect(byName[0]! <= byName[byName.length - 1]!).toBe(true)
    const good = results((await client.get(`${NURSERIES}&rating=Good`)).body)
    expect(good.length).toBeGreaterThan(0)
    for (const r of good) expect(r.details['Latest rating']).toMatch(/^Good \(rated/)
  })

  it('resident pages through the results; a page past the end does not exist', async () => {
    const first = await client.get(`/choose/early-education/find?postcode=SE15&radius=5`)
    expect(first.body).toContain('Page 1 of')
    const next = parseHtml(first.body).querySelector('.govuk-pagination__next a')!.getAttribute('href')!
    expect(next).toBe('/choose/early-education/find?postcode=SE15&radius=5&sort=distance&page=2')
    const second = await client.get(next)
    expect(results(second.body)[0]!.id).not.toBe(results(first.body)[0]!.id)
    expect((await client.get(`${NURSERIES}&page=9999`)).statusCode).toBe(404)
  })

  describe('compare', () => {
    let found: ReturnType<typeof results>
    beforeAll(async () => {
      found = results((await client.get(NURSERIES)).body)
    })
    const compare = (ids: string[], search = 'postcode=SE15&radius=2') =>
      client.get(`/choose/early-education/compare?${search}&${ids.map((id) => `provider=${id}`).join('&')}`)

    it.each([
      [0, 'Select 2, 3 or 4 providers to compare'],
      [1, 'Select at least one more provider to compare'],
      [5, 'Select no more than 4 providers to compare (you selected 5)'],
    ])('comparing %i providers gets an error on the results, linked to the boxes to tick', async (n, message) => {
      const picked = found.slice(0, n).map((r) => r.id)
      const res = await compare(picked)
      expect(res.statusCode).toBe(400)
      expect(errorSummaryOf(res.body)).toEqual([message])
      const doc = parseHtml(res.body)
      expect(doc.querySelector('.govuk-error-summary a')!.getAttribute('href')).toBe('#provider')
      expect(doc.querySelector('input#provider')).not.toBeNull()
      // What was ticked is still ticked.
      expect(doc.querySelectorAll('input[name=provider][checked]').map((i) => i.getAttribute('value'))).toEqual(picked)
    })

    it('the same provider twice counts once', async () => {
      const res = await compare([found[0]!.id, found[0]!.id.toUpperCase()])
      expect(errorSummaryOf(res.body)).toEqual(['Select at least one more provider to compare'])
    })

    it('without a search to pick from, the error points at the postcode', async () => {
      const res = await client.get('/choose/early-education/compare')
      expect(res.statusCode).toBe(400)
      expect(errorSummaryOf(res.body)).toEqual(['Enter a postcode to find providers to compare'])
      expect(parseHtml(res.body).querySelector('.govuk-error-summary a')!.getAttribute('href')).toBe('#postcode')
    })

    it.each([2, 4])('resident compares %i providers side by side in a table with headers and a caption', async (n) => {
      const before = await promptsAt('compare')
      const picked = found.slice(0, n)
      const res = await compare(picked.map((r) => r.id))
      expect(res.statusCode).toBe(200)
      expect(headingOf(res.body)).toBe('Compare providers')
      const table = parseHtml(res.body).querySelector('main table')!
      expect(table.querySelector('caption')!.text.trim()).toBe(`${n} providers side by side`)
      expect(table.querySelectorAll('thead th[scope=col]').map((th) => th.text.trim())).toEqual(
        picked.map((r) => r.name),
      )
      const rows = Object.fromEntries(
        table
          .querySelectorAll('tbody tr')
          .map((tr) => [
            tr.querySelector('th[scope=row]')!.text.trim(),
            tr.querySelectorAll('td').map((td) => td.text.trim()),
          ]),
      )
      expect(rows['What people who use it say']).toEqual(Array(n).fill('No data yet'))
      expect(rows['Waiting time']).toEqual(Array(n).fill('Not known'))
      expect(rows['Choice Charter standard for answering a choice request']).toEqual(Array(n).fill('10 working days'))
      expect(rows['Meets the Choice Charter standard']).toEqual(Array(n).fill('No data yet'))
      expect(rows['Latest rating']).toEqual(picked.map((r) => r.details['Latest rating']))
      // The same distance as the results showed, from the same place.
      expect(rows['Distance']).toEqual(picked.map((r) => r.details['Distance']))
      expect(rows['Places']!.every((p) => /^(\d[\d,]*|Not known)$/.test(p))).toBe(true)
      const choose = table.querySelectorAll('a').filter((a) => a.text.startsWith('Choose this provider'))
      expect(choose.map((a) => a.getAttribute('href'))).toEqual(
        picked.map((r) => `/choose/request/new?provider=${r.id}`),
      )
      expect(await promptsAt('compare')).toBe(before + 1)
    })

    it('shows satisfaction as the feedback module publishes it, and "No data yet" where it publishes none', async () => {
      // 40 answers last month for the first provider, uploaded as monthly counts (as provider staff do).
      const [rated, unrated] = found
      const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1))
      const upload = randomUUID()
      await sql`insert into feedback.uploads (id, service_id, mode, uploaded_by, uploaded_at, file_name, file_sha256)
                values (${upload}, ${rated!.id}, 'paper', ${randomUUID()}, now(), 'fft.csv', 'x')`.execute(
        t.database.db,
      )
      await sql`insert into feedback.monthly_counts
                  (service_id, period, mode, very_good, good, neither, poor, very_poor, dont_know, upload_id)
                values (${rated!.id}, ${month}, 'paper', 20, 10, 5, 3, 2, 0, ${upload})`.execute(t.database.db)
      const res = await compare([rated!.id, unrated!.id])
      const satisfaction = parseHtml(res.body)
        .querySelectorAll('main tbody tr')
        .find((tr) => tr.querySelector('th')!.text.trim() === 'What people who use it say')!
        .querySelectorAll('td')
        .map((td) => td.text.trim())
      expect(satisfaction[0]).toMatch(
        /^75(\.0)?% said good or very good \(95% confidence interval [\d.]+% to [\d.]+%\), from about 40 responses in the last 12 months$/,
      )
      expect(satisfaction[1]).toBe('No data yet')
    })

    it('without a postcode there is no distance row; a provider from another framework is not found', async () => {
      const res = await compare(
        found.slice(0, 2).map((r) => r.id),
        'radius=2',
      )
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain('>Distance<')
      const gp = (
        await sql<{ id: string }>`
          select id from directory.services where framework = 'nhs-care' limit 1`.execute(t.database.db)
      ).rows[0]!.id
      expect((await compare([found[0]!.id, gp])).statusCode).toBe(404)
      expect((await compare([found[0]!.id, 'not-a-uuid'])).statusCode).toBe(404)
    })
  })
})
