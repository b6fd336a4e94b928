import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import Fastify from 'fastify'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  type TestApp,
} from '../../src/platform/testing/index.ts'
import { registerSecurity } from '../../src/platform/security.ts'
import { modules } from '../../src/modules/registry.ts'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { seed: true })
  })
  afterAll(async () => t?.close())

  it('resident sees on the home page what they can do and a link to each Choice Framework', async () => {
    const res = await new TestClient(t.app).get('/')
    expect(res.statusCode).toBe(200)
    expect(headingOf(res.body)).toBe('Choose the public services you use')
    const links = parseHtml(res.body)
      .querySelectorAll('main a')
      .map((a) => a.getAttribute('href'))
    for (const f of ['nhs-care', 'social-housing', 'social-care', 'education', 'early-education']) {
      expect(links).toContain(`/choose/${f}`)
    }
    expect(res.body).toContain('1,367 providers listed') // Ofsted nurseries with published names
  })

  it('every page carries the service layout: skip link, beta banner, footer links, no crown', async () => {
    const res = await new TestClient(t.app).get('/')
    const doc = parseHtml(res.body)
    expect(doc.querySelector('a[href="#main-content"]')?.text.trim()).toBe('Skip to main content')
    expect(doc.querySelector('main#main-content')).not.toBeNull()
    expect(res.body).toContain('Beta')
    const footerLinks = doc.querySelectorAll('footer a').map((a) => a.getAttribute('href'))
    expect(footerLinks).toEqual(expect.arrayContaining(['/accessibility', '/cookies', '/privacy', '/open-data']))
    expect(res.body).not.toMatch(/Crown copyright|govuk-logo|GDS Transport/)
  })

  it('sends a strict Content Security Policy whose nonce is on every inline and module script', async () => {
    const res = await new TestClient(t.app).get('/')
    const csp = String(res.headers['content-security-policy'])
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(csp).toContain("frame-ancestors 'none'")
    const scripts = parseHtml(res.body).querySelectorAll('script')
    expect(scripts.length).toBeGreaterThan(0)
    for (const s of scripts) expect(s.getAttribute('nonce')).toBe(nonce)
    const again = await new TestClient(t.app).get('/')
    expect(String(again.headers['content-security-policy'])).not.toContain(nonce!)
  })

  it.each(['/accessibility', '/cookies', '/privacy', '/open-data', '/feedback', '/choose/nhs-care', '/providers'])(
    'visitor opens %s',
    async (path) => {
      const res = await new TestClient(t.app).get(path)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toContain('text/html')
      expect(headingOf(res.body)).not.toBe('')
    },
  )

  it('visitor finds the feedback and response-time files on the open data page, no longer "coming soon"', async () => {
    const page = parseHtml((await new TestClient(t.app).get('/open-data')).body)
    expect(page.text).not.toMatch(/coming soon/i)
    const links = page.querySelectorAll('a').map((a) => a.getAttribute('href'))
    expect(links).toEqual(
      expect.arrayContaining([
        '/open-data/feedback.csv',
        '/open-data/feedback/response-times.csv',
        '/open-data/feedback/datapackage.json',
      ]),
    )
  })

  it('serves the stylesheet with the Arial font stack and govuk-frontend assets from the app itself', async () => {
    const client = new TestClient(t.app)
    const css = await client.get('/assets/application.css')
    expect(css.statusCode).toBe(200)
    expect(css.body).toMatch(/font-family:\s*arial,\s*sans-serif/i)
    expect(css.body).not.toContain('GDS Transport')
    expect((await client.get('/assets/govuk-frontend.min.js')).statusCode).toBe(200)
    expect((await client.get('/assets/images/favicon.ico')).statusCode).toBe(200)
  })

  it('shows a GOV.UK-style 404 page, and problem+json under /api', async () => {
    const client = new TestClient(t.app)
    const page = await client.get('/no-such-page')
    expect(page.statusCode).toBe(404)
    expect(headingOf(page.body)).toBe('Page not found')
    const api = await client.get('/api/v1/nothing')
    expect(api.statusCode).toBe(404)
    expect(api.headers['content-type']).toContain('application/problem+json')
    expect(api.json()).toMatchObject({ status: 404, title: 'Not found' })
    expect((await client.get('/choose/not-a-framework')).statusCode).toBe(404)
  })

  it('reports liveness and readiness, and tags every response with a request id', async () => {
    const client = new TestClient(t.app)
    const live = await client.get('/health/live')
    expect(live.json()).toEqual({ status: 'ok' })
    const ready = await client.get('/health/ready')
    expect(ready.json()).toEqual({ status: 'ok', database: t.database.kind })
    expect(ready.headers['x-request-id']).toMatch(/^[\w-]{8,}$/)
  })

  describe('feedback form', () => {
    async function feedbackRows(): Promise<number> {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from platform.service_feedback`.execute(
        t.database.db,
      )
      return rows[0]!.n
    }

    it('visitor sends feedback and sees a confirmation', async () => {
      const before = await feedbackRows()
      const client = new TestClient(t.app)
      const res = await client.submitForm('/feedback', { satisfaction: 'satisfied', comments: 'Clear and quick.' })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/feedback/sent')
      expect(headingOf((await client.get('/feedback/sent')).body)).toBe('Thank you for your feedback')
      expect(await feedbackRows()).toBe(before + 1)
    })

    it('visitor who chooses nothing is told what to fix, and nothing is saved', async () => {
      const before = await feedbackRows()
      const res = await new TestClient(t.app).submitForm('/feedback', { comments: 'hello' })
      expect(res.statusCode).toBe(400)
      expect(errorSummaryOf(res.body)).toEqual(['Select how you felt about the service'])
      expect(parseHtml(res.body).querySelector('title')?.text).toMatch(/^Error: /)
      expect(res.body).toContain('hello') // what they typed is kept
      expect(await feedbackRows()).toBe(before)
    })

    it.each([
      ['an unknown answer', { satisfaction: 'delighted' }],
      ['a field sent twice', { satisfaction: ['satisfied', 'neutral'] }],
      ['comments over the limit', { satisfaction: 'neutral', comments: 'x'.repeat(1201) }],
      ['script in comments', { satisfaction: 'neutral<script>', comments: '<script>alert(1)</script>'.repeat(10) }],
    ])('hostile form with %s gets a clear error, never a 500', async (_name, answers) => {
      const before = await feedbackRows()
      const res = await new TestClient(t.app).submitForm('/feedback', answers)
      expect(res.statusCode).toBe(400)
      expect(errorSummaryOf(res.body).length).toBeGreaterThan(0)
      expect(res.body).not.toContain('<script>alert(1)</script>')
      expect(await feedbackRows()).toBe(before)
    })

    it('refuses a form sent without its CSRF token, or with a forged one', async () => {
      const before = await feedbackRows()
      const client = new TestClient(t.app)
      await client.get('/feedback')
      const missing = await client.post('/feedback', { satisfaction: 'satisfied' })
      expect(missing.statusCode).toBe(403)
      expect(headingOf(missing.body)).toBe('Your form could not be sent')
      const forged = await client.post('/feedback', { satisfaction: 'satisfied', _csrf: 'forged-token' })
      expect(forged.statusCode).toBe(403)
      const stranger = await new TestClient(t.app).post('/feedback', { satisfaction: 'satisfied', _csrf: 'x' })
      expect(stranger.statusCode).toBe(403)
      expect(await feedbackRows()).toBe(before)
    })

    it('rejects a body that is not a form with a 4xx, not a 500', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/feedback',
        headers: { 'content-type': 'application/json' },
        payload: '{bad json',
      })
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
    })
  })

  it('resident switches to Welsh: a page not yet translated is shown wholly in English with a notice in both languages', async () => {
    const client = new TestClient(t.app)
    const cy = await client.get('/?lang=cy')
    const doc = parseHtml(cy.body)
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('en') // never English text labelled as Welsh
    expect(doc.querySelector('p[lang=cy]')?.text).toBe(
      "Nid yw'r dudalen hon ar gael yn Gymraeg eto. Mae'n cael ei dangos yn Saesneg.",
    )
    expect(cy.body).toContain('This page is not available in Welsh yet.')
    expect(doc.querySelector('[aria-current=true][lang=cy]')?.text.trim()).toBe('Cymraeg') // the choice is shown
    expect(headingOf(cy.body)).toBe('Choose the public services you use')
    // the choice is remembered on the next page, and English removes the notice
    expect((await client.get('/cookies')).body).toContain('This page is not available in Welsh yet.')
    const en = await client.get('/?lang=en')
    expect(parseHtml(en.body).querySelector('html')?.getAttribute('lang')).toBe('en')
    expect(en.body).not.toContain('not available in Welsh')
  })
})

describe('deny by default', () => {
  it('refuses to start when a route does not declare who may use it', async () => {
    const app = Fastify({ logger: false })
    await registerSecurity(app, (await import('../../src/platform/index.ts')).loadConfig({ NODE_ENV: 'test' }))
    expect(() => app.get('/unguarded', async () => 'open')).toThrow(/does not declare config.access/)
    await app.close()
  })
})
