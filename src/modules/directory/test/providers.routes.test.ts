import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paths, runImport } from '../../../platform/index.ts'
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
import { giasSource } from '../import/provider-sources.ts'
import { dfeKs4Source } from '../performance/ks4.import.ts'

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
    const feedback = parseHtml(page.body)
      .querySelectorAll('a')
      .find((a) => a.text.trim() === 'What people say about this provider')
    expect(feedback!.getAttribute('href')).toBe(`${link}/feedback`)
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

  const schoolPage = async (name: string) => {
    const [link] = providerLinks((await client.get(`/providers?framework=education&name=${name}`)).body)
    return client.get(link!)
  }

  it("parent sees a school's census figures and the schools DfE links to it", async () => {
    const page = await schoolPage('rhyl')
    expect(page.statusCode).toBe(200)
    const text = parseHtml(page.body).querySelector('main')!.text.replace(/\s+/g, ' ')
    // Rhyl Primary School (URN 100021): 396 pupils on roll, 55.3% eligible for free school meals in 6 years.
    expect(text).toContain('Pupils (school census), 2018/19')
    expect(text).toContain('Pupils 396')
    expect(text).toContain('Eligible for free school meals at any time in the last 6 years 55.3%')
    // It merged with Carlton Primary School (URN 100012), which the directory also holds.
    expect(text).toContain('Carlton Primary School Predecessor - merged 31 August 2021')
    const carlton = parseHtml(page.body).querySelectorAll('main table a')[0]!.getAttribute('href')
    expect(headingOf((await client.get(carlton!)).body)).toBe('Carlton Primary School')
  })

  it('parent sees Progress 8 with its confidence interval, and why a measure is not published', async () => {
    // Constructed: Acland Burghley School's real 2018/19 KS4 row (URN 100053), given the URN of a school in the
    // demo data (Rhyl Primary, 100021) so that a school page carries GCSE results, which no demo school has.
    const dir = mkdtempSync(join(tmpdir(), 'ks4-'))
    try {
      const real = readFileSync(
        join(paths.data, 'dfe_performance_tables/england_ks4provisional_2018-19__LA_lt_800.csv'),
        'utf8',
      )
      const [header, ...rows] = real.split(/\r?\n/)
      const acland = rows.find((r) => r.split(',')[3] === '100053')!
      const file = join(dir, 'constructed_ks4_2018-19.csv')
      writeFileSync(file, [header, acland.replace(',100053,', ',100021,')].join('\n') + '\n')
      await runImport(t.database.db, dfeKs4Source, file)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const text = parseHtml((await schoolPage('rhyl')).body)
      .querySelector('main')!
      .text.replace(/\s+/g, ' ')
    expect(text).toContain('GCSE results (key stage 4), 2018/19')
    expect(text).toContain('Progress 8 score -0.08 (95% confidence interval -0.3 to 0.14)')
    expect(text).toContain('Progress 8 compared with schools in England Average')
    expect(text).toContain('Grade 5 or above in English and maths 47.1%')
  })

  it("parent reads a school's address from DfE's 16-18 tables, and that it is from them, where GIAS gives none", async () => {
    // Constructed: the demo GIAS sample plus The John Roan School (URN 100192, in the demo's KS5 file), copied from
    // the sample's second row without an address, as GIAS lists some schools.
    const dir = mkdtempSync(join(tmpdir(), 'gias-'))
    try {
      const sample = readFileSync(join(paths.data, 'gias/edubasealldata_extract_2021-05_sample.csv'))
      const [header, ...rows] = parse(sample, { bom: true }) as string[][]
      const changes: Record<string, string> = { URN: '100192', EstablishmentName: 'The John Roan School' }
      for (const column of ['Street', 'Locality', 'Address3', 'Town', 'Postcode']) changes[column] = ''
      const johnRoan = header!.map((column, i) => changes[column] ?? rows[1]![i]!)
      const file = join(dir, 'gias.csv')
      writeFileSync(
        file,
        [header!, ...rows, johnRoan].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n'),
      )
      expect(await runImport(t.database.db, giasSource, file)).toMatchObject({ inserted: 1, updated: 0 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const text = parseHtml((await schoolPage('john+roan')).body)
      .querySelector('main')!
      .text.replace(/\s+/g, ' ')
    expect(text).toContain('Address Westcombe Park Road, Blackheath, London, SE3 7QR')
    expect(text).toContain('The address is from Department for Education, 16 to 18 (key stage 5) performance tables')
  })
})
