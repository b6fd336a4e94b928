import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createTestApp, TestClient, type TestApp } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'

// Every form of this module, with the page that carries its CSRF token.
const FORMS = [
  { page: '/create-account', action: '/create-account' },
  { page: '/sign-in', action: '/sign-in' },
  { page: '/reset-password', action: '/reset-password' },
  { page: '/sign-in', action: '/reset-password/new' },
  { page: '/sign-in', action: '/verify-email' },
]
const FIELDS = ['email', 'password', 'confirm', 'current', 'token', 'next', 'other']

/** Arbitrary form answers: any of the real field names (or others), each a string or a repeated field. */
const answers = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.array(fc.string(), { maxLength: 3 }),
  ),
)

describe('accounts forms under arbitrary input', () => {
  let t: TestApp
  let sender = 0 // each request from its own address, so per-address rate limits do not answer first
  beforeAll(async () => {
    t = await createTestApp('pglite', modules)
  })
  afterAll(async () => t?.close())

  it.each(FORMS)('$action never answers with a server error, whatever is sent', async ({ page, action }) => {
    await fc.assert(
      fc.asyncProperty(answers, async (fields) => {
        const client = new TestClient(t.app)
        const html = (await client.get(page)).body
        const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!
        const res = await client.post(action, { ...fields, _csrf: csrf })
        expect(res.statusCode, JSON.stringify(fields)).toBeLessThan(500)
      }),
      { numRuns: 40 },
    )
  })

  it('answers a body that is not a form (JSON, nonsense, oversized) with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMS.map((f) => f.action)),
        fc.string(),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (url, payload, type) => {
          const remoteAddress = `127.9.${++sender % 250}.${Math.floor(sender / 250) % 250}`
          const res = await t.app.inject({
            method: 'POST',
            url,
            remoteAddress,
            headers: { 'content-type': type },
            payload,
          })
          expect(res.statusCode).toBeGreaterThanOrEqual(400)
          expect(res.statusCode).toBeLessThan(500)
        },
      ),
      { numRuns: 60 },
    )
    const huge = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress: '127.10.0.1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=' + 'a'.repeat(200_000),
    })
    expect(huge.statusCode).toBe(413)
  })
})
