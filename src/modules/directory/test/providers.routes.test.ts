import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let client: TestClient
  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { seed: true })
    client = new TestClient(t.app)
  })
  afterAll(async () => t?.close())

  const providerLinks = (html: string) =>
    parseHtml(html)
      .querySelectorAll('main a')
      .map((a) => a.getAttribute('href') ?? '')
      .filter((h) => /^\/providers\/[0-9a-f-]{36}$/.test(h))

  it('resident lists GP practices, 20 to a page, and pages through them', async () => {
    const first = await client.get('/providers?framework=nhs-care')
    expect(first.statusCode).toBe(200)
    expect(providerLinks(first.body)).toHaveLength(20)
    expect(first.body).toMatch(/[\d,]+ providers found/)
    const second = await client.get('/providers?framework=nhs-care&page=2')
    expect(providerLinks(second.body)).toHaveLength(20)
    expect(providerLinks(second.body)).not.toEqual(providerLinks(first.body))
  })

  it('resident searches by name and opens a provider page with its source and licence', async () => {
    const res = await client.get('/providers?framework=nhs-care&name=densham')
    expect(res.body).toContain('1 provider found')
    const [link] = providerLinks(res.body)
    const page = await client.get(link!)
    expect(page.statusCode).toBe(200)
    expect(headingOf(page.body)).toBe('The Densham Surgery')
    expect(page.body).toContain('TS18 1HU')
    expect(page.body).toContain('Approximate: the centre of the TS18 postcode district')
    expect(page.body).toContain('Open Government Licence v3.0')
  })

  it('never lists a closed school among the providers to choose from', async () => {
    // Kingsgate Junior and Infant Schools (URNs 100016, 100017) are Closed in the GIAS file.
    const res = await client.get('/providers?framework=education&name=kingsgate')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('No providers match your search')
    expect(providerLinks(res.body)).toHaveLength(0)
  })

  it.each([
    ['/providers?framework=<script>', 200],
    ['/providers?page=-1', 200],
    ['/providers?page=abc', 200],
    ['/providers?name=' + 'x'.repeat(500), 200],
    ['/providers?framework=nhs-care&page=9999', 404],
    ['/providers/not-a-uuid', 404],
    ['/providers/00000000-0000-0000-0000-000000000000', 404],
  ])('odd address %s gets %i, never a 500', async (url, status) => {
    const res = await client.get(url)
    expect(res.statusCode).toBe(status)
    expect(res.body).not.toContain('<script>')
  })

  it('resident searches near a postcode: results nearest first, with distances, within the radius', async () => {
    const res = await client.get('/providers?framework=nhs-care&postcode=ts18+1hu&radius=5')
    expect(res.statusCode).toBe(200)
    const distances = parseHtml(res.body)
      .querySelectorAll('main li p')
      .map((p) => /^([\d.]+) miles from TS18 1HU/.exec(p.text.trim())?.[1])
      .filter((d): d is string => d !== undefined)
      .map(Number)
    expect(distances.length).toBeGreaterThan(0)
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
    expect(Math.max(...distances)).toBeLessThanOrEqual(5)
    const wider = await client.get('/providers?framework=nhs-care&postcode=TS18&radius=25')
    expect(wider.statusCode).toBe(200)
    expect(wider.body).toContain('miles from TS18')
  })

  it('a postcode that is not one, or not known, gets a GOV.UK error summary', async () => {
    for (const [typed, message] of [
      ['not a postcode', 'Enter a real postcode'],
      ['ZZ99 9ZZ', 'We could not find that postcode'],
    ] as const) {
      const res = await client.get(`/providers?postcode=${encodeURIComponent(typed)}`)
      expect(res.statusCode).toBe(400)
      expect(errorSummaryOf(res.body)[0]).toContain(message)
    }
  })

  it('filters by the latest rating', async () => {
    const res = await client.get('/providers?framework=early-education&rating=Outstanding')
    expect(res.statusCode).toBe(200)
    const page = parseHtml(res.body)
    const ratings = page.querySelectorAll('main li p').filter((p) => p.text.includes('Latest rating'))
    expect(ratings.length).toBeGreaterThan(0)
    expect(ratings.every((p) => p.text.includes('Outstanding'))).toBe(true)
  })
})
