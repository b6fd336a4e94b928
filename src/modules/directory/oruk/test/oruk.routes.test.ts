import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parse as parseCsv } from 'csv-parse/sync'
import { sql } from 'kysely'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { LightMyRequestResponse } from 'fastify'
import { createTestApp, testDialects, type TestApp } from '../../../../platform/testing/index.ts'
import { modules } from '../../../registry.ts'
import { forgetDirectoryCaches } from '../../directory-cache.ts'
import { orukOpenApi, schemaErrors, type SchemaName } from './oruk-schemas.ts'

type Json = Record<string, unknown> & { contents?: Record<string, unknown>[] }

const openapi = orukOpenApi()

/** The profile's paging envelope, every field required (openapi.json: components.schemas.Page). */
const pageSchema = {
  type: 'object',
  properties: { ...openapi.components.schemas.Page.properties, contents: { type: 'array' } },
  required: [...Object.keys(openapi.components.schemas.Page.properties), 'contents'],
}
const validatePage = new Ajv2020({ strict: false }).compile(pageSchema)

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { origin: 'https://example.org', ...headers } })
  const body = (res: LightMyRequestResponse) => res.json() as Json

  /** Every item of a page validates against the official schema, and the envelope is the profile's Page. */
  function expectValidPage(res: LightMyRequestResponse, item: SchemaName) {
    expect(res.statusCode, res.body).toBe(200)
    const page = body(res)
    expect(validatePage(page), JSON.stringify(validatePage.errors)).toBe(true)
    for (const entity of page.contents!) expect(schemaErrors(item, entity), JSON.stringify(entity)).toEqual([])
    return page
  }

  function expectProblem(res: LightMyRequestResponse, status: number) {
    expect(res.statusCode, res.body).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(body(res)).toMatchObject({ status, title: expect.any(String) })
    return body(res)
  }

  let densham: { id: string; salId: string }

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { seed: true })
    const found = body(await get('/api/oruk/service_at_locations?text=densham'))
    const sal = found.contents![0] as { id: string; service_id: string }
    densham = { id: sal.service_id, salId: sal.id }
  }, 120_000)
  afterAll(async () => t?.close())

  it("developer reads the API's details: the HSDS-UK version and profile, as the spec's schema says", async () => {
    const res = await get('/api/oruk/')
    expect(res.statusCode).toBe(200)
    const schema = (
      openapi.paths['/']!.get as unknown as {
        responses: { 200: { content: { 'application/json': { schema: object } } } }
      }
    ).responses[200].content['application/json'].schema
    const ajv = new Ajv2020({ strict: false, validateFormats: false })
    expect(ajv.validate(schema, body(res)), JSON.stringify(ajv.errors)).toBe(true)
    expect(body(res)).toMatchObject({ version: 'HSDS-UK-3.0', profile: expect.stringMatching(/^https:\/\//) })
    expect(body(res).licence).toMatchObject({ name: 'Open Government Licence v3.0' })
    expect((await get('/api/oruk')).statusCode).toBe(200)
  })

  it('every path of the profile answers under /api/oruk, keyless and open to any origin', async () => {
    const taxonomy = body(await get('/api/oruk/taxonomies')).contents![0]!.id as string
    const term = body(await get('/api/oruk/taxonomy_terms')).contents![0]!.id as string
    const ids: Record<string, string> = {
      '/services/{id}': densham.id,
      '/service_at_locations/{id}': densham.salId,
      '/taxonomies/{id}': taxonomy,
      '/taxonomy_terms/{id}': term,
    }
    const specPaths = Object.keys(openapi.paths)
    expect(specPaths).toHaveLength(9)
    for (const path of specPaths) {
      const res = await get(`/api/oruk${path.replace('{id}', ids[path] ?? '')}`)
      expect(res.statusCode, path).toBe(200)
      expect(res.headers['content-type'], path).toMatch(/^application\/json/)
      expect(res.headers['access-control-allow-origin'], path).toBe('*')
      expect(res.headers['access-control-allow-credentials'], path).toBeUndefined()
    }
  })

  it('developer pages through services: each is valid service_list.json, and page 2 follows page 1', async () => {
    const first = expectValidPage(await get('/api/oruk/services?per_page=10'), 'service_list')
    expect(first).toMatchObject({ page_number: 1, size: 10, first_page: true, last_page: false, empty: false })
    const total = first.total_items as number
    expect(total).toBeGreaterThan(5000)
    expect(first.total_pages).toBe(Math.ceil(total / 10))
    const second = expectValidPage(await get('/api/oruk/services?per_page=10&page=2'), 'service_list')
    expect(second).toMatchObject({ page_number: 2, size: 10, first_page: false, total_items: total })
    const ids = (p: Json) => p.contents!.map((s) => s.id)
    expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([])
    // Default page size, and the last page.
    expect(body(await get('/api/oruk/services')).size).toBe(50)
    const last = expectValidPage(await get(`/api/oruk/services?per_page=10&page=${first.total_pages}`), 'service_list')
    expect(last).toMatchObject({ last_page: true, size: total % 10 || 10 })
  })

  it('a page past the last one is an empty page, not an error; per_page above 200 is capped at 200', async () => {
    const past = expectValidPage(await get('/api/oruk/services?page=100000'), 'service_list')
    expect(past).toMatchObject({ size: 0, empty: true, contents: [], last_page: true, first_page: false })
    expect(past.total_items).toBeGreaterThan(0)
    const big = expectValidPage(await get('/api/oruk/services?per_page=5000'), 'service_list')
    expect(big.size).toBe(200)
    expect(big.total_pages).toBe(Math.ceil((big.total_items as number) / 200))
    const none = expectValidPage(await get('/api/oruk/services?text=zzzzqqqq'), 'service_list')
    expect(none).toMatchObject({ total_items: 0, total_pages: 0, size: 0, empty: true, first_page: true })
  })

  it('full=true nests every service fully (service.json), with locations and organisation identifiers', async () => {
    const page = expectValidPage(await get('/api/oruk/services?per_page=100&full=true'), 'service')
    expect(page.size).toBe(100)
    for (const s of page.contents as { service_at_locations: unknown[]; organization: { id: string } }[]) {
      expect(s.service_at_locations.length).toBeGreaterThan(0)
      expect(s.organization).toHaveProperty('organization_identifiers')
    }
  })

  it('resident-facing developer finds a GP practice by text and reads it in full (service.json)', async () => {
    for (const param of ['text', 'search']) {
      const found = expectValidPage(await get(`/api/oruk/services?${param}=Densham%20surgery`), 'service_list')
      expect(found.total_items).toBe(1)
      expect(found.contents![0]).toMatchObject({ id: densham.id, name: 'The Densham Surgery', status: 'active' })
    }
    const res = await get(`/api/oruk/services/${densham.id}`)
    expect(res.statusCode).toBe(200)
    const service = body(res)
    expect(schemaErrors('service', service)).toEqual([])
    expect(service).toMatchObject({
      id: densham.id,
      accreditations: expect.stringContaining('ODS code A81001'),
      last_modified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      organization: {
        organization_identifiers: [expect.objectContaining({ identifier_scheme: 'GB-NHS', identifier: 'A81001' })],
      },
      contacts: [expect.objectContaining({ phones: [expect.objectContaining({ number: '01642 672351' })] })],
    })
    const [sal] = service.service_at_locations as {
      location: { latitude: number; description: string; addresses: { postal_code: string }[]; attributes: unknown[] }
    }[]
    expect(sal!.location.addresses[0]!.postal_code).toBe('TS18 1HU')
    expect(sal!.location.latitude).toBeCloseTo(54.56, 1)
    expect(sal!.location.description).toContain('Approximate: the coordinates are the centre of the TS18')
    expect(sal!.location.attributes).toEqual([
      expect.objectContaining({
        link_type: 'coordinate_precision',
        taxonomy_term: expect.objectContaining({ name: 'Postcode district centre (approximate)' }),
      }),
    ])
    const terms = (service.attributes as { link_type: string; taxonomy_term: { name: string } }[]).map((a) => [
      a.link_type,
      a.taxonomy_term.name,
    ])
    expect(terms).toEqual([
      ['choice_framework', 'NHS care'],
      ['service_type', 'GP practice'],
      ['registration_status', 'Registered'],
    ])
  })

  it('an Ofsted-rated nursery carries its rating as accreditation text and as a rating attribute', async () => {
    const rated = body(await get('/api/oruk/services?text=nursery&per_page=200&full=true')).contents!.find(
      (s) => typeof s.accreditations === 'string' && s.accreditations.includes('Latest rating'),
    ) as { accreditations: string; attributes: { link_type: string; taxonomy_term: { name: string } }[] }
    expect(rated.accreditations).toMatch(/^Registered with Ofsted \(URN \w+\)\. Latest rating: \w[\w ]+ \(Ofsted, \d/)
    const rating = rated.attributes.find((a) => a.link_type === 'rating')!
    expect(rated.accreditations).toContain(rating.taxonomy_term.name)
  })

  it('services at locations: list (service_at_location_list.json), by id (service_at_location.json), near a postcode', async () => {
    const page = expectValidPage(await get('/api/oruk/service_at_locations?per_page=25'), 'service_at_location_list')
    expect(page.size).toBe(25)
    const res = await get(`/api/oruk/service_at_locations/${densham.salId}`)
    expect(res.statusCode).toBe(200)
    expect(schemaErrors('service_at_location', body(res))).toEqual([])
    expect(body(res)).toMatchObject({
      id: densham.salId,
      service_id: densham.id,
      service: { name: 'The Densham Surgery' },
    })

    const near = expectValidPage(
      await get('/api/oruk/service_at_locations?postcode=TS18%201HU&proximity=1000&per_page=200'),
      'service_at_location_list',
    )
    expect(near.total_items).toBeGreaterThan(0)
    expect(near.contents!.map((s) => s.id)).toContain(densham.salId)
    // Everything within 1 km of the TS18 centre is placed at that centre in the demo data.
    for (const s of near.contents as { location: { description: string } }[])
      expect(s.location.description).toContain('TS18')
    const wider = body(await get('/api/oruk/service_at_locations?postcode=TS18%201HU&proximity=20000'))
    expect(wider.total_items as number).toBeGreaterThan(near.total_items as number)
    // A postcode alone orders by distance: the nearest first.
    const nearest = body(await get('/api/oruk/service_at_locations?postcode=TS18&per_page=1'))
    expect((nearest.contents![0] as { location: { description: string } }).location.description).toContain('TS18')
    expect(nearest.total_items).toBe(body(await get('/api/oruk/service_at_locations?per_page=1')).total_items)
  })

  it('a postcode the directory cannot place, or proximity without a postcode, is a 400 problem', async () => {
    expect(expectProblem(await get('/api/oruk/service_at_locations?postcode=ZZ99%209ZZ'), 400).code).toBe(
      'unknown-postcode',
    )
    expectProblem(await get('/api/oruk/service_at_locations?postcode=not-one'), 400)
    expect(expectProblem(await get('/api/oruk/service_at_locations?proximity=1000'), 400).detail).toContain(
      'proximity needs a postcode',
    )
    expectProblem(await get('/api/oruk/service_at_locations?postcode=LS1&proximity=999999999'), 400)
  })

  it('taxonomies and terms validate (taxonomy.json, taxonomy_term.json), and filter services', async () => {
    const taxonomies = expectValidPage(await get('/api/oruk/taxonomies'), 'taxonomy')
    expect(taxonomies.contents!.map((x) => x.name)).toEqual([
      'OpenChoice service types',
      'OpenChoice regulator registration status',
      'OpenChoice regulator ratings',
      'OpenChoice location precision',
    ])
    const serviceTypes = body(await get(`/api/oruk/taxonomies/${taxonomies.contents![0]!.id}`))
    expect(schemaErrors('taxonomy', serviceTypes)).toEqual([])
    const terms = expectValidPage(await get('/api/oruk/taxonomy_terms?per_page=200'), 'taxonomy_term')
    const names = terms.contents!.map((x) => x.name)
    expect(names).toEqual(expect.arrayContaining(['NHS care', 'Social housing', 'Social care', 'School places']))
    expect(names).toEqual(expect.arrayContaining(['GP practice', 'Childcare on non-domestic premises', 'Good']))
    expect(names).toEqual(expect.arrayContaining(['Community school', 'Registered', 'Postcode point']))
    const gp = terms.contents!.find((x) => x.name === 'GP practice')!
    expect(gp.parent_id).toBe(terms.contents!.find((x) => x.name === 'NHS care')!.id)
    const one = await get(`/api/oruk/taxonomy_terms/${gp.id}`)
    expect(body(one)).toEqual(gp)

    // Services of one term, and of one taxonomy.
    const gps = expectValidPage(await get(`/api/oruk/services?taxonomy_term_id=${gp.id}&per_page=200`), 'service_list')
    expect(gps.total_items).toBeGreaterThan(1000)
    expect(gps.contents!.every((s) => String(s.accreditations).includes('ODS code'))).toBe(true)
    const good = terms.contents!.find((x) => x.name === 'Good')!
    const rated = body(await get(`/api/oruk/services?taxonomy_term_id=${good.id}&per_page=200`))
    expect(rated.contents!.every((s) => String(s.accreditations).includes('Latest rating: Good'))).toBe(true)
    const ratings = taxonomies.contents!.find((x) => x.name === 'OpenChoice regulator ratings')!
    const anyRating = body(await get(`/api/oruk/services?taxonomy_id=${ratings.id}`))
    expect(anyRating.total_items as number).toBeGreaterThan(rated.total_items as number)
    const unknown = body(await get('/api/oruk/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000'))
    expect(unknown).toMatchObject({ total_items: 0, empty: true })
  })

  it('modified_after and organization_id narrow the list', async () => {
    const all = body(await get('/api/oruk/services?per_page=1')).total_items
    expect(body(await get('/api/oruk/services?modified_after=2000-01-01')).total_items).toBe(all)
    expect(body(await get('/api/oruk/services?modified_after=2999-01-01T00:00:00Z')).total_items).toBe(0)
    const service = body(await get(`/api/oruk/services/${densham.id}`))
    const org = (service.organization as { id: string }).id
    const own = body(await get(`/api/oruk/services?organization_id=${org}`))
    expect(own.contents!.map((s) => s.id)).toEqual([densham.id])
  })

  it.each([
    ['/api/oruk/services?colour=blue', 'unknown parameter "colour"'],
    ['/api/oruk/services?page=0', 'page must be 1 or more'],
    ['/api/oruk/services?page=two', 'page must be a whole number'],
    ['/api/oruk/services?per_page=0', 'per_page must be 1 or more'],
    ['/api/oruk/services?per_page=-5', 'per_page must be a whole number'],
    ['/api/oruk/services?page=1&page=2', 'page give it once only'],
    ['/api/oruk/services?taxonomy_term_id=gp', 'taxonomy_term_id must be a uuid'],
    ['/api/oruk/services?modified_after=last-week', 'modified_after must be an ISO 8601 date'],
    ['/api/oruk/services?full=yes', 'full must be true or false'],
    ['/api/oruk/services?minimum_age=old', 'minimum_age must be a number of years'],
    ['/api/oruk/services?start_time=8am', 'start_time must be a time'],
    ['/api/oruk/services?day=someday', 'day must be a day'],
    ['/api/oruk/services?search=a&text=b', 'give search or text, not both'],
    ['/api/oruk/service_at_locations?postcode=', 'postcode must be a UK postcode'],
    ['/api/oruk/taxonomies?search=x', 'unknown parameter "search"'],
    ['/api/oruk/taxonomy_terms?per_page=x', 'per_page must be a whole number'],
    [`/api/oruk/services/00000000-0000-0000-0000-000000000000?full=true`, 'this endpoint takes no parameters'],
    ['/api/oruk/?x=1', 'this endpoint takes no parameters'],
  ])('%s is a 400 problem saying "%s", with CORS', async (url, detail) => {
    expect(expectProblem(await get(url), 400).detail).toContain(detail)
  })

  it('accepts the profile’s age, time and day filters (they narrow nothing: no service states them)', async () => {
    const all = body(await get('/api/oruk/services?per_page=1')).total_items
    const res = await get('/api/oruk/services?minimum_age=3&maximum_age=11&start_time=08:00&end_time=18:00&day=MO')
    expect(expectValidPage(res, 'service_list').total_items).toBe(all)
  })

  it.each([
    '/api/oruk/services/not-a-uuid',
    '/api/oruk/services/00000000-0000-0000-0000-000000000000',
    '/api/oruk/services/%27%20or%201=1',
    '/api/oruk/service_at_locations/not-a-uuid',
    '/api/oruk/service_at_locations/00000000-0000-0000-0000-000000000000',
    '/api/oruk/taxonomies/not-a-uuid',
    '/api/oruk/taxonomies/00000000-0000-0000-0000-000000000000',
    '/api/oruk/taxonomy_terms/x',
    '/api/oruk/taxonomy_terms/00000000-0000-0000-0000-000000000000',
    '/api/oruk/organizations',
    '/api/oruk/services/a/b',
  ])('%s is a 404 problem, with CORS', async (url) => {
    expectProblem(await get(url), 404)
  })

  it('an unlisted service disappears from every list, its ids 404 and the downloads leave it out', async () => {
    const db = t.database.db
    const before = body(await get('/api/oruk/services?per_page=1')).total_items as number
    await sql`update directory.services set unlisted_at = now() where id = ${densham.id}`.execute(db)
    forgetDirectoryCaches(db) // totals and terms are kept for a minute
    try {
      expect(body(await get('/api/oruk/services?per_page=1')).total_items).toBe(before - 1)
      expect(body(await get('/api/oruk/services?text=densham')).total_items).toBe(0)
      expect(body(await get('/api/oruk/service_at_locations?text=densham')).total_items).toBe(0)
      expectProblem(await get(`/api/oruk/services/${densham.id}`), 404)
      expectProblem(await get(`/api/oruk/service_at_locations/${densham.salId}`), 404)
      expect((await get('/open-data/directory.csv')).body).not.toContain(densham.id)
    } finally {
      await sql`update directory.services set unlisted_at = null where id = ${densham.id}`.execute(db)
      forgetDirectoryCaches(db)
    }
  })

  it('a browser on another site gets its CORS preflight answered, without credentials', async () => {
    for (const url of ['/api/oruk/services', '/api/oruk/', '/api/oruk', '/api/oruk/services/x']) {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://example.org',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'accept, x-requested-with',
        },
      })
      expect(res.statusCode, url).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBe('*')
      expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS')
      expect(res.headers['access-control-allow-headers']).toBe('accept, x-requested-with')
      expect(res.headers['access-control-allow-credentials']).toBeUndefined()
      expect(res.body).toBe('')
    }
    const ok = await get('/api/oruk/services?per_page=1')
    expect(ok.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(ok.headers['set-cookie']).toBeUndefined()
  })

  it('arbitrary query strings on /api/oruk/services never give a 5xx', async () => {
    const names = ['page', 'per_page', 'search', 'text', 'taxonomy_term_id', 'taxonomy_id', 'modified_after', 'full']
    const key = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }))
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer({ min: -10, max: 10 ** 9 }).map(String),
      fc.uuid(),
      fc.constantFrom('true', 'false', '2024-01-01', '%', '_', '\\', "'", '0'.repeat(30), 'NaN', '1e9', '-0'),
    )
    const query = fc.oneof(
      fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()),
      fc.string({ maxLength: 60 }).map((raw) => encodeURI(raw)),
    )
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await get(`/api/oruk/services?${q}`)
        expect(res.statusCode, `?${q}: ${res.body}`).toBeLessThan(500)
        expect(res.headers['access-control-allow-origin']).toBe('*')
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('anyone downloads the whole directory as CSV, with a file name and a link to its licence', async () => {
    const res = await get('/open-data/directory.csv')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="openchoice-directory-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    expect(res.headers['link']).toBe('</open-data/directory-licence.txt>; rel="license"')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    const rows = parseCsv(res.body, { columns: true }) as Record<string, string>[]
    const total = body(await get('/api/oruk/service_at_locations?per_page=1')).total_items
    expect(rows).toHaveLength(total as number)
    const row = rows.find((r) => r.service_id === densham.id)!
    expect(row).toMatchObject({
      service_at_location_id: densham.salId,
      name: 'The Densham Surgery',
      organisation_identifiers: 'GB-NHS:A81001',
      framework: 'nhs-care',
      service_type: 'GP practice',
      status: 'active',
      registration_status: 'registered',
      regulator: 'nhs-ods',
      postcode: 'TS18 1HU',
      coordinate_precision: 'outcode',
      source: 'ods-epraccur',
      source_file: 'epraccur_2024-01_Y56_Y62_Y63_W00.csv',
    })
    expect(Number(row.latitude)).toBeCloseTo(54.56, 1)
    expect(rows.some((r) => r.rating === 'Outstanding' && /^\d{4}-\d{2}-\d{2}$/.test(r.rating_date!))).toBe(true)

    const head = await t.app.inject({ method: 'HEAD', url: '/open-data/directory.csv' })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
  })

  it('anyone downloads the whole directory as JSON, with its licence and every publisher named', async () => {
    const res = await get('/open-data/directory.json')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/filename="openchoice-directory-\d{4}-\d{2}-\d{2}\.json"/)
    const data = res.json() as {
      licence: { name: string; url: string }
      attribution: string
      sources: { publisher: string }[]
      columns: { name: string }[]
      records: Record<string, unknown>[]
    }
    expect(data.licence).toEqual({
      name: 'Open Government Licence v3.0',
      url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    })
    for (const publisher of ['NHS England', 'Ofsted', 'Department for Education', 'Office for National Statistics'])
      expect(data.sources.map((s) => s.publisher).join(' | ')).toContain(publisher)
    expect(data.attribution).toContain('Contains OS data © Crown copyright and database right')
    expect(data.attribution).toContain('Contains Royal Mail data © Royal Mail copyright and database right')
    const csv = parseCsv((await get('/open-data/directory.csv')).body, { columns: true }) as object[]
    expect(data.records).toHaveLength(csv.length)
    const record = data.records.find((r) => r.service_id === densham.id)!
    expect(Object.keys(record)).toEqual(data.columns.map((c) => c.name))
    expect(typeof record.latitude).toBe('number')
  })

  it('the licence statement names the licence, every publisher and the attribution, and the open data page links it all', async () => {
    const res = await get('/open-data/directory-licence.txt')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    for (const text of [
      'Open Government Licence v3.0',
      'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
      'NHS England, Organisation Data Service',
      'Ofsted',
      'Department for Education: Get Information about Schools',
      'Office for National Statistics',
      'Contains OS data © Crown copyright and database right',
      'Contains Royal Mail data © Royal Mail copyright and database right',
      'coordinate_precision',
    ])
      expect(res.body).toContain(text)
    const page = await get('/open-data')
    for (const href of ['/open-data/directory.csv', '/open-data/directory.json', '/open-data/directory-licence.txt'])
      expect(page.body).toContain(`href="${href}"`)
    expect(page.body).toContain('href="/api/oruk/"')
  })
})
