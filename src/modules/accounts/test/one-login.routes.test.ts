import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  truncateSchemas,
  type TestApp,
} from '../../../platform/testing/index.ts'
import { loadConfig } from '../../../platform/index.ts'
import { modules } from '../../registry.ts'
import { startTestProvider, type TestProvider } from './oidc-provider.ts'

const PUBLIC_URL = 'http://localhost:3000'
const CALLBACK = `${PUBLIC_URL}/sign-in/one-login/callback`
const PASSWORD = 'correct horse battery staple'
const FLOW_COOKIE = 'openchoice-one-login'
const SESSION_COOKIE = 'openchoice-session'
const MINUTE = 60_000

let provider: TestProvider
beforeAll(async () => {
  provider = await startTestProvider(CALLBACK)
  provider.people.set('urn:fdc:gov.uk:2022:amina', {
    sub: 'urn:fdc:gov.uk:2022:amina',
    email: 'amina@example.org',
    emailVerified: true,
  })
  provider.people.set('urn:fdc:gov.uk:2022:ben', {
    sub: 'urn:fdc:gov.uk:2022:ben',
    email: 'Ben@Example.org',
    emailVerified: true,
  })
  provider.people.set('urn:fdc:gov.uk:2022:cai', {
    sub: 'urn:fdc:gov.uk:2022:cai',
    email: 'cai@example.org',
    emailVerified: false,
  })
})
afterAll(async () => provider?.close())

/** The configuration an operator would write, read through loadConfig as at start-up. */
function oneLoginSettings(issuer: string) {
  return loadConfig({
    NODE_ENV: 'test',
    ONE_LOGIN_ISSUER: issuer,
    ONE_LOGIN_CLIENT_ID: provider.clientId,
    ONE_LOGIN_PRIVATE_KEY: provider.clientPrivateKeyPem,
  }).oneLogin
}

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let clock = new Date('2026-11-23T10:00:00Z')

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, {
      now: () => clock,
      config: { publicUrl: PUBLIC_URL, oneLogin: oneLoginSettings(provider.issuer) },
    })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    clock = new Date('2026-11-23T10:00:00Z')
    provider.choose('cancel')
    await truncateSchemas(t.database, ['accounts'])
    await sql`delete from platform.notifications`.execute(t.database.db)
  })

  /** Starts at the app, signs in (or cancels) at the provider, and returns the callback the provider sent back. */
  async function throughProvider(client: TestClient, who: string | 'cancel', start = '/sign-in/one-login') {
    provider.choose(who === 'cancel' ? 'cancel' : { signInAs: who })
    const started = await client.get(start)
    expect(started.statusCode).toBe(303)
    const back = await provider.visit(started.headers.location as string)
    expect(back.origin + back.pathname).toBe(CALLBACK)
    return { started, callback: back.pathname + back.search }
  }

  async function signInWithOneLogin(client: TestClient, who: string) {
    const { callback } = await throughProvider(client, who)
    const res = await client.get(callback)
    expect(res.statusCode, res.body).toBe(303)
    return res
  }

  const people = async () =>
    (
      await sql<{
        id: string
        email: string
        password_hash: string | null
        email_verified_at: Date | null
      }>`select id, email, password_hash, email_verified_at from accounts.people order by created_at`.execute(
        t.database.db,
      )
    ).rows
  const identities = async () =>
    (
      await sql<{ issuer: string; subject: string; person_id: string }>`
        select issuer, subject, person_id from accounts.external_identities order by subject`.execute(t.database.db)
    ).rows
  const oneLoginAudit = async (personId: string) =>
    (
      await sql<{ action: string }>`
        select action from platform.audit_log
         where actor_id = ${personId} and details->>'method' = 'one-login' order by seq`.execute(t.database.db)
    ).rows.map((r) => r.action)

  async function verifiedPasswordAccount(email: string): Promise<void> {
    const client = new TestClient(t.app)
    await client.submitForm('/create-account', { email, password: PASSWORD, confirm: PASSWORD })
    const { rows } = await sql<{ body: string }>`
      select body from platform.notifications where recipient = ${email}`.execute(t.database.db)
    await client.submitForm(/\/verify-email\?token=[\w-]{43}/.exec(rows[0]!.body)![0], {})
  }

  it('resident signs in with One Login for the first time: an account is made, linked, and they are signed in', async () => {
    const client = new TestClient(t.app)
    const page = await client.get('/sign-in')
    const button = parseHtml(page.body)
      .querySelectorAll('a')
      .find((a) => a.text.trim() === 'Sign in with GOV.UK One Login')
    expect(button?.getAttribute('href')).toBe('/sign-in/one-login')

    const { started, callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:amina')
    // Authorization code with PKCE (S256), state and nonce, asking for the email address.
    const asked = provider.authorizationRequests.at(-1)!
    expect(Object.fromEntries(asked)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email',
      code_challenge_method: 'S256',
    })
    expect(asked.get('state')).toMatch(/^[\w-]{32,}$/)
    expect(asked.get('nonce')).toMatch(/^[\w-]{32,}$/)
    expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    const flowCookie = started.cookies.find((c) => c.name === FLOW_COOKIE)!
    expect(flowCookie).toMatchObject({ path: '/sign-in/one-login', httpOnly: true, sameSite: 'Lax', maxAge: 600 })
    expect(flowCookie.value).not.toContain(asked.get('state')) // signed and encoded, not the bare values

    const res = await client.get(callback)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/account')
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    const account = await client.get('/account')
    expect(account.statusCode).toBe(200)
    expect(headingOf(account.body)).toBe('Your account')
    expect(account.body).toContain('amina@example.org')

    const [person] = await people()
    expect(person).toMatchObject({ email: 'amina@example.org', password_hash: null })
    expect(person!.email_verified_at).not.toBeNull()
    expect(await identities()).toEqual([
      { issuer: provider.issuer, subject: 'urn:fdc:gov.uk:2022:amina', person_id: person!.id },
    ])
    expect(await oneLoginAudit(person!.id)).toEqual(['auth.account.created', 'auth.sign-in.succeeded'])
    // private_key_jwt with the token endpoint as audience, as GOV.UK One Login requires.
    expect(provider.assertionAudiences.at(-1)).toBe(`${provider.issuer}/token`)
  })

  it('resident who signs in with One Login again finds the same account, in a new session', async () => {
    const first = new TestClient(t.app)
    await signInWithOneLogin(first, 'urn:fdc:gov.uk:2022:amina')
    const second = new TestClient(t.app)
    await signInWithOneLogin(second, 'urn:fdc:gov.uk:2022:amina')
    expect((await second.get('/account')).statusCode).toBe(200)
    expect((await first.get('/account')).statusCode).toBe(200)
    const all = await people()
    expect(all).toHaveLength(1)
    expect(await identities()).toHaveLength(1)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from accounts.sessions where person_id = ${all[0]!.id}`.execute(t.database.db)
    expect(rows[0]!.n).toBe(2)
    expect(await oneLoginAudit(all[0]!.id)).toEqual([
      'auth.account.created',
      'auth.sign-in.succeeded',
      'auth.sign-in.succeeded',
    ])
  })

  it('resident with a password account is linked to it when One Login confirms the same address', async () => {
    await verifiedPasswordAccount('ben@example.org')
    const [before] = await people()
    const client = new TestClient(t.app)
    await signInWithOneLogin(client, 'urn:fdc:gov.uk:2022:ben') // the provider says Ben@Example.org
    expect((await client.get('/account')).statusCode).toBe(200)
    const after = await people()
    expect(after).toHaveLength(1)
    expect(after[0]!.password_hash).toBe(before!.password_hash) // a confirmed owner's password stays
    expect(await identities()).toEqual([expect.objectContaining({ person_id: before!.id })])
    expect(await oneLoginAudit(before!.id)).toEqual(['auth.external-identity.linked', 'auth.sign-in.succeeded'])
    const withPassword = await new TestClient(t.app).submitForm('/sign-in', {
      email: 'ben@example.org',
      password: PASSWORD,
    })
    expect(withPassword.headers.location).toBe('/account')
  })

  it('a password set on an address nobody confirmed is dropped when One Login links the account (pre-hijacking)', async () => {
    await new TestClient(t.app).submitForm('/create-account', {
      email: 'amina@example.org',
      password: PASSWORD,
      confirm: PASSWORD,
    })
    const client = new TestClient(t.app)
    await signInWithOneLogin(client, 'urn:fdc:gov.uk:2022:amina')
    const [person] = await people()
    expect(person).toMatchObject({ password_hash: null })
    expect(person!.email_verified_at).not.toBeNull()
    const squatter = await new TestClient(t.app).submitForm('/sign-in', {
      email: 'amina@example.org',
      password: PASSWORD,
    })
    expect(errorSummaryOf(squatter.body)).toEqual(['The email address or password is not right'])
  })

  it('an address One Login has not confirmed neither makes nor links an account', async () => {
    await verifiedPasswordAccount('cai@example.org')
    const client = new TestClient(t.app)
    const { callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:cai')
    const res = await client.get(callback)
    expect(res.statusCode).toBe(400)
    expect(headingOf(res.body)).toBe('We could not get a confirmed email address')
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined()
    expect(await identities()).toEqual([])
    expect(await people()).toHaveLength(1)
  })

  it('a person who only uses One Login cannot sign in with a password until they set one by resetting it', async () => {
    await signInWithOneLogin(new TestClient(t.app), 'urn:fdc:gov.uk:2022:amina')
    const client = new TestClient(t.app)
    const attempt = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(attempt.statusCode).toBe(400)
    expect(errorSummaryOf(attempt.body)).toEqual(['The email address or password is not right'])

    await client.submitForm('/reset-password', { email: 'amina@example.org' })
    const { rows } = await sql<{ body: string }>`
      select body from platform.notifications where recipient = 'amina@example.org'`.execute(t.database.db)
    const link = /\/reset-password\/new\?token=[\w-]{43}/.exec(rows[0]!.body)![0]
    expect((await client.submitForm(link, { password: PASSWORD, confirm: PASSWORD })).headers.location).toBe(
      '/sign-in?reset=1',
    )
    const signIn = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(signIn.headers.location).toBe('/account')
  })

  it('a callback whose state was tampered with is refused, and no one is signed in', async () => {
    const client = new TestClient(t.app)
    const { callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:amina')
    const url = new URL(callback, PUBLIC_URL)
    url.searchParams.set('state', `${url.searchParams.get('state')!.slice(0, -2)}xx`)
    const res = await client.get(url.pathname + url.search)
    expect(res.statusCode).toBe(400)
    expect(headingOf(res.body)).toBe('Sorry, we could not sign you in with GOV.UK One Login')
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined()
    expect((await client.get('/account')).statusCode).toBe(303)
    expect(await people()).toEqual([])
  })

  it('a callback used twice is refused the second time, even with the flow cookie copied back', async () => {
    const client = new TestClient(t.app)
    const { started, callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:amina')
    const flowCookie = started.cookies.find((c) => c.name === FLOW_COOKIE)!
    expect((await client.get(callback)).statusCode).toBe(303)

    const again = await client.get(callback) // the browser's flow cookie went with the first use
    expect(again.statusCode).toBe(400)
    expect(headingOf(again.body)).toBe('Sorry, we could not sign you in with GOV.UK One Login')

    const attacker = new TestClient(t.app)
    const replay = await attacker.get(callback, { cookie: `${FLOW_COOKIE}=${flowCookie.value}` })
    expect(replay.statusCode).toBe(400) // the provider will not exchange a code twice
    expect(replay.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined()
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from accounts.sessions`.execute(t.database.db)
    expect(rows[0]!.n).toBe(1)
  })

  it('a flow cookie that is forged or more than 10 minutes old is refused', async () => {
    const client = new TestClient(t.app)
    const { started, callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:amina')
    const signed = started.cookies.find((c) => c.name === FLOW_COOKIE)!.value
    const unsigned = signed.slice(0, signed.lastIndexOf('.'))
    const forged = await new TestClient(t.app).get(callback, { cookie: `${FLOW_COOKIE}=${unsigned}` })
    expect(forged.statusCode).toBe(400)
    clock = new Date(clock.getTime() + 10 * MINUTE + 1000)
    const late = await client.get(callback)
    expect(late.statusCode).toBe(400)
    expect(await people()).toEqual([])
  })

  it('resident who cancels at One Login is told so, with a way to try again', async () => {
    const client = new TestClient(t.app)
    const { callback } = await throughProvider(client, 'cancel', '/sign-in/one-login?next=%2Faccount%2Fchange-password')
    expect(callback).toMatch(/[?&]error=access_denied/)
    const res = await client.get(callback)
    expect(res.statusCode).toBe(400)
    expect(headingOf(res.body)).toBe('You did not finish signing in')
    const links = parseHtml(res.body)
      .querySelectorAll('main a')
      .map((a) => [a.text.trim(), a.getAttribute('href')])
    expect(links).toContainEqual([
      'Try signing in with GOV.UK One Login again',
      '/sign-in/one-login?next=%2Faccount%2Fchange-password',
    ])
    expect(links).toContainEqual(['Sign in with your email address and password instead', '/sign-in'])
    const { rows } = await sql<{ reason: string }>`
      select details->>'reason' as reason from platform.audit_log
       where action = 'auth.sign-in.failed' and details->>'method' = 'one-login' order by seq desc limit 1`.execute(
      t.database.db,
    )
    expect(rows[0]!.reason).toBe('cancelled')
  })

  it('after signing in, resident goes back to the page that sent them to sign in', async () => {
    const client = new TestClient(t.app)
    const page = await client.get('/sign-in?next=%2Faccount%2Fchange-password')
    const href = parseHtml(page.body)
      .querySelectorAll('a')
      .find((a) => a.text.trim() === 'Sign in with GOV.UK One Login')!
      .getAttribute('href')!
    expect(href).toBe('/sign-in/one-login?next=%2Faccount%2Fchange-password')
    const { callback } = await throughProvider(client, 'urn:fdc:gov.uk:2022:amina', href)
    expect((await client.get(callback)).headers.location).toBe('/account/change-password')
    // An address elsewhere is not a place to go back to (no open redirect).
    const other = new TestClient(t.app)
    const away = await throughProvider(other, 'urn:fdc:gov.uk:2022:amina', '/sign-in/one-login?next=//evil.example')
    expect((await other.get(away.callback)).headers.location).toBe('/account')
  })
})

describe('without ONE_LOGIN_* settings', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp('pglite', modules)
  })
  afterAll(async () => t?.close())

  it('there is no One Login sign-in: its addresses are not found and the sign-in page does not offer it', async () => {
    const client = new TestClient(t.app)
    expect((await client.get('/sign-in/one-login')).statusCode).toBe(404)
    expect((await client.get('/sign-in/one-login/callback?code=x&state=y')).statusCode).toBe(404)
    const page = await client.get('/sign-in')
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('One Login')
    expect(page.body).not.toContain('/sign-in/one-login')
  })
})

describe('when the provider cannot be reached', () => {
  let t: TestApp
  let closed: TestProvider
  beforeAll(async () => {
    closed = await startTestProvider(CALLBACK)
    await closed.close() // nothing listens at its address any more
    t = await createTestApp('pglite', modules, { config: { oneLogin: oneLoginSettings(closed.issuer) } })
  })
  afterAll(async () => t?.close())

  it('resident is told One Login is not available, not shown a server error', async () => {
    const res = await new TestClient(t.app).get('/sign-in/one-login')
    expect(res.statusCode).toBe(502)
    expect(headingOf(res.body)).toBe('Sorry, GOV.UK One Login is not available at the moment')
  })
})
