import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { createTestApp, TestClient, testDialects, type TestApp } from '../../src/platform/testing/index.ts'
import { ROLES, type AccessPolicy, type Role } from '../../src/platform/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { csrfOf, insertProvider, signedInAs } from '../../src/modules/accounts/test/factories.ts'

/**
 * Who may use each route: the access matrix, written down independently of the routes' own declarations, so that
 * loosening a route's policy by mistake fails here. A new route must be added to this table.
 */
type WhoMay = 'everyone' | 'signed-in' | Role[]
const MATRIX: Record<string, WhoMay> = {
  'GET /health/live': 'everyone',
  'GET /health/ready': 'everyone',
  'GET /': 'everyone',
  'GET /choose/:framework': 'everyone',
  'GET /choose/:framework/find': 'everyone',
  'GET /choose/:framework/compare': 'everyone',
  'GET /providers': 'everyone',
  'GET /providers/:id': 'everyone',
  'GET /accessibility': 'everyone',
  'GET /cookies': 'everyone',
  'GET /privacy': 'everyone',
  'GET /open-data': 'everyone',
  'GET /open-data/directory.csv': 'everyone',
  'GET /open-data/directory.json': 'everyone',
  'GET /open-data/directory-licence.txt': 'everyone',
  // The Open Referral UK API: keyless, read-only, open to any origin (CORS preflight included).
  'GET /api/oruk': 'everyone',
  'GET /api/oruk/services': 'everyone',
  'GET /api/oruk/services/:id': 'everyone',
  'GET /api/oruk/service_at_locations': 'everyone',
  'GET /api/oruk/service_at_locations/:id': 'everyone',
  'GET /api/oruk/taxonomies': 'everyone',
  'GET /api/oruk/taxonomies/:id': 'everyone',
  'GET /api/oruk/taxonomy_terms': 'everyone',
  'GET /api/oruk/taxonomy_terms/:id': 'everyone',
  'OPTIONS /api/oruk': 'everyone',
  'OPTIONS /api/oruk/*': 'everyone',
  'GET /feedback': 'everyone',
  'POST /feedback': 'everyone',
  'GET /feedback/sent': 'everyone',
  'GET /feedback/give/:token': 'everyone', // a single-use link is the only credential
  'POST /feedback/give/:token': 'everyone',
  'GET /feedback/given': 'everyone',
  'GET /dev/outbox': 'everyone', // not registered in production, and answers loopback addresses only
  'GET /create-account': 'everyone',
  'POST /create-account': 'everyone',
  'GET /create-account/check-email': 'everyone',
  'GET /verify-email': 'everyone',
  'POST /verify-email': 'everyone',
  'GET /sign-in': 'everyone',
  'POST /sign-in': 'everyone',
  'GET /signed-out': 'everyone',
  'GET /reset-password': 'everyone',
  'POST /reset-password': 'everyone',
  'GET /reset-password/check-email': 'everyone',
  'GET /reset-password/new': 'everyone',
  'POST /reset-password/new': 'everyone',
  'GET /account-deleted': 'everyone',
  'POST /sign-out': 'signed-in',
  'GET /account': 'signed-in',
  'GET /account/change-password': 'signed-in',
  'POST /account/change-password': 'signed-in',
  'GET /account/champions': 'signed-in',
  'GET /account/champions/history': 'signed-in',
  'GET /account/champions/:consentId': 'signed-in',
  'POST /account/champions/:consentId': 'signed-in',
  'POST /account/champions/:consentId/revoke': 'signed-in',
  'GET /account/data': 'signed-in',
  'GET /account/data/download': 'signed-in',
  'GET /account/delete': 'signed-in',
  'POST /account/delete': 'signed-in',
  'GET /shortlist': 'signed-in',
  'POST /shortlist': 'signed-in',
  'POST /shortlist/remove': 'signed-in',
  'GET /choose/request/new': 'signed-in',
  'POST /choose/request/new': 'signed-in',
  'GET /my-choices': 'signed-in',
  'GET /my-choices/:id': 'signed-in',
  'POST /my-choices/:id/withdraw': 'signed-in',
  'GET /my-choices/:id/feedback': 'signed-in',
  'POST /my-choices/:id/feedback': 'signed-in',
  'POST /champion/stop': 'signed-in', // a champion whose role was removed must still be able to stop acting
  'GET /listings': ['provider-staff'],
  'GET /providers/:id/edit': ['provider-staff'],
  'POST /providers/:id/edit': ['provider-staff'],
  'GET /providers/:id/feedback-links': ['provider-staff'],
  'POST /providers/:id/feedback-links': ['provider-staff'],
  'GET /providers/:id/feedback-upload': ['provider-staff'],
  'POST /providers/:id/feedback-upload': ['provider-staff'],
  'GET /provider-requests': ['provider-staff'],
  'GET /provider-requests/:id': ['provider-staff'],
  'POST /provider-requests/:id': ['provider-staff'],
  'GET /champion': ['champion'],
  'GET /champion/ask': ['champion'],
  'POST /champion/ask': ['champion'],
  'GET /champion/record': ['champion'],
  'POST /champion/record': ['champion'],
  'POST /champion/act': ['champion'],
  'GET /admin': ['admin'],
  'POST /admin': ['admin'],
  'GET /admin/people/:personId': ['admin'],
  'GET /admin/people/:personId/roles/new': ['admin'],
  'POST /admin/people/:personId/roles': ['admin'],
  'POST /admin/people/:personId/roles/:grantId/remove': ['admin'],
  'GET /admin/consents': ['admin'],
  'POST /admin/consents/:consentId': ['admin'],
  // Feedback: the monthly open data and each provider's figures are public; moderation is the operator's.
  'GET /open-data/feedback.csv': 'everyone',
  'GET /open-data/feedback.json': 'everyone',
  'GET /open-data/feedback/:month.csv': 'everyone',
  'GET /open-data/feedback/:month.json': 'everyone',
  'GET /open-data/feedback/datapackage.json': 'everyone',
  'GET /open-data/feedback/response-times.csv': 'everyone',
  'GET /open-data/feedback/response-times.json': 'everyone',
  'GET /open-data/feedback/response-times/:month.csv': 'everyone',
  'GET /open-data/feedback/response-times/:month.json': 'everyone',
  'GET /providers/:id/feedback': 'everyone',
  'POST /providers/:id/feedback/comments/:commentId/reply': ['provider-staff'],
  'GET /moderation/comments': ['admin'],
  'POST /moderation/comments/:commentId': ['admin'],
}
/** Routes that exist only when configured (GOV.UK One Login sign-in). */
const OPTIONAL: Record<string, WhoMay> = {
  'GET /sign-in/one-login': 'everyone',
  'GET /sign-in/one-login/callback': 'everyone',
}

/** Everyone who can turn up: a visitor, a resident, and one person holding each role (scoped where it must be). */
const SCOPES: Partial<Record<Role, string>> = {
  'provider-staff': 'A81001',
  regulator: 'cqc',
  commissioner: 'E09000033',
  'neighbourhood-officer': 'E04000001',
}
type Persona = { name: string; roles: Role[]; client: TestClient; personId: string | null; csrf: string }

const NOT_ALLOWED = 'Your account does not give you access to this page'

function exampleUrl(url: string): string {
  return url.replace(/:[a-zA-Z]+/g, '00000000-0000-0000-0000-000000000000').replace(/\*$/, 'x')
}

function mayUse(who: WhoMay, persona: Persona): 'yes' | 'sign-in' | 'no' {
  if (who === 'everyone') return 'yes'
  if (!persona.personId) return 'sign-in'
  if (who === 'signed-in') return 'yes'
  return who.some((r) => persona.roles.includes(r)) ? 'yes' : 'no'
}

function declaredAs(access: AccessPolicy): WhoMay {
  return access === 'public' ? 'everyone' : access === 'signed-in' ? access : [...access.roles]
}
describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  const personas: Persona[] = []

  beforeAll(async () => {
    t = await createTestApp(dialect, modules)
    await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    const visitor = new TestClient(t.app)
    const page = await visitor.get('/sign-in')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    personas.push({ name: 'visitor', roles: [], client: visitor, personId: null, csrf })
    const resident = await signedInAs(t, 'resident@example.org')
    personas.push({ name: 'resident', roles: [], ...resident, csrf: await csrfOf(resident.client) })
    for (const role of ROLES) {
      const p = await signedInAs(t, `${role}@example.org`, [{ role, scope: SCOPES[role] }])
      personas.push({ name: role, roles: [role], ...p, csrf: await csrfOf(p.client) })
    }
  }, 120_000)
  afterAll(async () => t?.close())

  it('every route is in the access matrix, with the policy the matrix gives it', () => {
    const registered = t.app.routePolicies.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets'))
    for (const r of registered) {
      const key = `${r.method} ${r.url}`
      expect(MATRIX[key] ?? OPTIONAL[key], `${key} is missing from the access matrix`).toBeDefined()
      expect(declaredAs(r.access), key).toEqual(MATRIX[key] ?? OPTIONAL[key])
    }
    const keys = new Set(registered.map((r) => `${r.method} ${r.url}`))
    for (const key of Object.keys(MATRIX))
      expect(keys.has(key), `${key} is in the matrix but not registered`).toBe(true)
  })

  it("nobody reaches other people's objects through ids in addresses or forms (no IDOR)", async () => {
    const { sql } = await import('kysely')
    const db = t.database.db
    const champion = personas.find((p) => p.name === 'champion')!
    const resident = personas.find((p) => p.name === 'resident')!
    const analyst = personas.find((p) => p.name === 'analyst')!
    // The champion asks the analyst for consent; the analyst grants it.
    await champion.client.submitForm('/champion/ask', {
      email: 'analyst@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '1',
    })
    const consentId = (await sql<{ id: string }>`select id from accounts.consents`.execute(db)).rows[0]!.id
    await analyst.client.submitForm(`/account/champions/${consentId}`, { decision: 'grant' })
    const provider = (
      await sql<{ id: string }>`select id from directory.services where source_ref = 'A81001'`.execute(db)
    ).rows[0]!.id

    // Another person cannot see, answer or revoke it: it does not exist for them.
    expect((await resident.client.get(`/account/champions/${consentId}`)).statusCode).toBe(404)
    const answer = await resident.client.post(`/account/champions/${consentId}`, {
      _csrf: resident.csrf,
      decision: 'grant',
    })
    expect(answer.statusCode).toBe(404)
    const revoke = await resident.client.post(`/account/champions/${consentId}/revoke`, { _csrf: resident.csrf })
    expect(revoke.statusCode).toBe(404)
    // Another champion cannot act under it.
    const other = await signedInAs(t, 'second.champion@example.org', [{ role: 'champion' }])
    const act = await other.client.post('/champion/act', { _csrf: await csrfOf(other.client), consentId })
    expect(act.statusCode).toBe(403)
    // A resident cannot put something on someone else's shortlist by naming them in the form.
    const forged = await resident.client.post('/shortlist', {
      _csrf: resident.csrf,
      providerId: provider,
      subject: analyst.personId!,
    })
    expect(forged.statusCode).toBe(403)
    expect((await sql`select 1 from choice.shortlist_items`.execute(db)).rows).toEqual([])
    // Provider staff edit their own organisation's listing only.
    const staff = personas.find((p) => p.name === 'provider-staff')!
    const elsewhere = await insertProvider(t, {
      ref: 'A81002',
      name: 'Queens Park Medical Centre',
      framework: 'nhs-care',
    })
    expect((await staff.client.get(`/providers/${elsewhere}/edit`)).statusCode).toBe(403)
    expect(
      (await staff.client.post(`/providers/${elsewhere}/edit`, { _csrf: staff.csrf, description: 'x' })).statusCode,
    ).toBe(403)
    expect((await staff.client.get(`/providers/${provider}/edit`)).statusCode).toBe(200)
    // Staff answer requests to their own organisation only; nobody else sees a person's request.
    const asked = await analyst.client.submitForm(`/choose/request/new?provider=${elsewhere}`, {})
    const requestId = String(asked.headers.location).split('/')[2]!.split('?')[0]!
    expect((await staff.client.get(`/provider-requests/${requestId}`)).statusCode).toBe(404)
    const answered = await staff.client.post(`/provider-requests/${requestId}`, {
      _csrf: staff.csrf,
      outcome: 'accept',
    })
    expect(answered.statusCode).toBe(404)
    expect((await resident.client.get(`/my-choices/${requestId}`)).statusCode).toBe(404)
    const withdrawn = await resident.client.post(`/my-choices/${requestId}/withdraw`, { _csrf: resident.csrf })
    expect(withdrawn.statusCode).toBe(404)
    expect((await sql<{ status: string }>`select status from choice.requests`.execute(db)).rows).toEqual([
      { status: 'sent' },
    ])
    // Only administrators see an account, whoever's id is in the address.
    expect((await resident.client.get(`/admin/people/${analyst.personId}`)).statusCode).toBe(403)

    const denied = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'access.denied' and details->>'reason' = 'object'`.execute(db)
    expect(denied.rows[0]!.n).toBeGreaterThanOrEqual(5) // every refusal of an object is in the audit trail
    expect((await sql<{ status: string }>`select status from accounts.consents`.execute(db)).rows).toEqual([
      { status: 'granted' },
    ])
  })

  it('every role gets exactly the routes the matrix allows, and is refused (403) or sent to sign in elsewhere', async () => {
    // Signing out ends the persona's session, so it goes last.
    const routes = t.app.routePolicies
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets'))
      .sort((a, b) => Number(a.url === '/sign-out') - Number(b.url === '/sign-out'))
    expect(routes.filter((r) => typeof r.access === 'object').length).toBeGreaterThan(5)
    const failures: string[] = []
    for (const persona of personas) {
      for (const r of routes) {
        const url = exampleUrl(r.url)
        const res: LightMyRequestResponse =
          r.method === 'GET' ? await persona.client.get(url) : await persona.client.post(url, { _csrf: persona.csrf })
        const expected = mayUse(MATRIX[`${r.method} ${r.url}`] ?? OPTIONAL[`${r.method} ${r.url}`]!, persona)
        const refused = res.statusCode === 403 && res.body.includes(NOT_ALLOWED)
        const sentToSignIn = res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in?')
        const ok =
          expected === 'yes'
            ? !refused && !sentToSignIn && res.statusCode < 500
            : expected === 'sign-in'
              ? sentToSignIn
              : refused
        if (!ok) failures.push(`${persona.name} ${r.method} ${url}: ${res.statusCode}, expected ${expected}`)
      }
    }
    expect(failures).toEqual([])
  }, 300_000)
})
