import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createTestApp, TestClient, type TestApp } from '../../../platform/testing/index.ts'
import { sql } from 'kysely'
import { modules } from '../../registry.ts'
import { csrfOf, insertProvider, signedInAs } from './factories.ts'

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

// The signed-in forms: consent (both sides), administration, data rights, the shortlist. `:id` is a real object.
const SIGNED_IN_FORMS = [
  '/champion/ask',
  '/champion/record',
  '/champion/act',
  '/account/champions/:consent',
  '/account/champions/:consent/revoke',
  '/account/change-password',
  '/account/delete',
  '/admin',
  '/admin/people/:person/roles',
  '/admin/people/:person/roles/:grant/remove',
  '/admin/consents/:consent',
  '/shortlist',
  '/shortlist/remove',
]
const SIGNED_IN_FIELDS = [
  'email',
  'frameworks',
  'actions',
  'months',
  'note',
  'confirm',
  'decision',
  'consentId',
  'role',
  'scope',
  'providerId',
  'subject',
  'password',
  'current',
]
const signedInAnswers = fc.dictionary(
  fc.constantFrom(...SIGNED_IN_FIELDS),
  fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom('nhs-care', 'choose', '3', 'yes', 'grant', 'refuse', 'confirm', 'revoke', 'admin', 'A81001'),
    fc.uuid(),
    fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
  ),
)
/** A path segment where an id belongs: real ids, other people's, or anything at all. */
const idSegment = (real: string) => fc.oneof(fc.constant(real), fc.uuid(), fc.string({ minLength: 1, maxLength: 60 }))

describe('signed-in accounts forms under arbitrary input', () => {
  let t: TestApp
  let me: { client: TestClient; personId: string }
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    t = await createTestApp('pglite', modules)
    await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    me = await signedInAs(t, 'fuzz@example.org', [{ role: 'champion' }, { role: 'admin' }])
    const other = await signedInAs(t, 'other@example.org', [{ role: 'analyst' }])
    await me.client.submitForm('/champion/ask', {
      email: 'other@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '3',
    })
    const { rows } = await sql<{ consent: string; grant: string }>`
      select (select id from accounts.consents limit 1) as consent,
             (select id from accounts.role_grants where role = 'analyst') as grant`.execute(t.database.db)
    Object.assign(ids, { consent: rows[0]!.consent, grant: rows[0]!.grant, person: other.personId })
  }, 60_000)
  afterAll(async () => t?.close())

  it.each(SIGNED_IN_FORMS)('%s never answers with a server error, whatever is sent', async (pattern) => {
    const csrf = await csrfOf(me.client)
    const segments = pattern.split('/').map((s) => (s.startsWith(':') ? idSegment(ids[s.slice(1)]!) : fc.constant(s)))
    await fc.assert(
      fc.asyncProperty(fc.tuple(...segments), signedInAnswers, async (parts, fields) => {
        me.client.remoteAddress = `127.20.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
        const url = parts.map((p) => encodeURIComponent(p)).join('/')
        const res = await me.client.post(url, { ...fields, _csrf: csrf })
        expect(res.statusCode, `${url} ${JSON.stringify(fields)}`).toBeLessThan(500)
      }),
      { numRuns: 30 },
    )
  })

  it('pages with an id in the address answer anything with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/account/champions/', '/admin/people/', '/providers/', '/choose/'),
        fc.string({ minLength: 1, maxLength: 80 }),
        async (prefix, id) => {
          const res = await me.client.get(prefix + encodeURIComponent(id))
          expect(res.statusCode).toBeLessThan(500)
        },
      ),
      { numRuns: 100 },
    )
  })
})
