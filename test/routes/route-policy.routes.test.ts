import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, TestClient, testDialects, type TestApp } from '../../src/platform/testing/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { ROLES, type AccessPolicy } from '../../src/platform/index.ts'

const isKnownPolicy = (access: AccessPolicy) =>
  access === 'public' ||
  access === 'signed-in' ||
  (typeof access === 'object' && access.roles.length > 0 && access.roles.every((r) => ROLES.includes(r)))

/** A concrete address for a route pattern, with made-up ids. */
function exampleUrl(url: string): string {
  return url.replace(/:[a-zA-Z]+/g, '00000000-0000-0000-0000-000000000000').replace(/\*$/, 'x')
}

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(dialect, modules)
  })
  afterAll(async () => t?.close())

  it('every registered route declares a known access policy', () => {
    expect(t.app.routePolicies.length).toBeGreaterThan(20)
    for (const r of t.app.routePolicies) expect(isKnownPolicy(r.access), `${r.method} ${r.url}`).toBe(true)
  })

  it('a visitor who is not signed in is sent to sign in from every signed-in page, and refused on every signed-in form', async () => {
    const guarded = t.app.routePolicies.filter((r) => r.access !== 'public' && r.method !== 'HEAD')
    expect(guarded.length).toBeGreaterThan(0)
    for (const r of guarded) {
      const client = new TestClient(t.app)
      const url = exampleUrl(r.url)
      if (r.method === 'GET') {
        const res = await client.get(url)
        expect(res.statusCode, `GET ${url}`).toBe(303)
        expect(res.headers.location, `GET ${url}`).toBe(`/sign-in?next=${encodeURIComponent(url)}`)
      } else {
        // Even with a valid CSRF token from a public page, nothing signed-in happens.
        const page = await client.get('/sign-in')
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
        const res = await client.post(url, { _csrf: csrf })
        expect(res.statusCode, `${r.method} ${url}`).toBe(303)
        expect(res.headers.location, `${r.method} ${url}`).toMatch(/^\/sign-in/)
      }
    }
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log where action = 'access.denied'`.execute(t.database.db)
    expect(rows[0]!.n).toBe(guarded.length) // every refusal is in the audit trail
  })
})
