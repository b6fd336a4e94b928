import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  TestClient,
  testDialects,
  truncateSchemas,
  type TestApp,
} from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'

const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'plum kettle orbit lantern'
const MINUTE = 60_000

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let clock = new Date('2026-11-23T10:00:00Z')
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms))

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { now: () => clock })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    clock = new Date('2026-11-23T10:00:00Z')
    await truncateSchemas(t.database, ['accounts'])
    await sql`delete from platform.notifications`.execute(t.database.db)
  })

  async function emails(to: string): Promise<{ subject: string; body: string }[]> {
    const { rows } = await sql<{ subject: string; body: string }>`
      select subject, body from platform.notifications where recipient = ${to} order by created_at`.execute(
      t.database.db,
    )
    return rows
  }
  const linkIn = (body: string, path: string) => new RegExp(`${path}\\?token=[\\w-]{43}`).exec(body)![0]

  async function auditActions(): Promise<string[]> {
    const { rows } = await sql<{ action: string }>`select action from platform.audit_log order by seq`.execute(
      t.database.db,
    )
    return rows.map((r) => r.action)
  }

  /** Signs up and confirms the address; returns a client that is not yet signed in. */
  async function verifiedAccount(email = 'amina@example.org'): Promise<TestClient> {
    const client = new TestClient(t.app)
    await client.submitForm('/create-account', { email, password: PASSWORD, confirm: PASSWORD })
    const [mail] = await emails(email)
    const link = linkIn(mail!.body, '/verify-email')
    await client.submitForm(link, {})
    return client
  }

  async function signedIn(email = 'amina@example.org'): Promise<TestClient> {
    const client = await verifiedAccount(email)
    const res = await client.submitForm('/sign-in', { email, password: PASSWORD })
    expect(res.headers.location).toBe('/account')
    return client
  }

  it('resident creates an account, confirms their email, signs in and signs out', async () => {
    const client = new TestClient(t.app)
    const created = await client.submitForm('/create-account', {
      email: 'Amina@Example.org',
      password: PASSWORD,
      confirm: PASSWORD,
    })
    expect(created.headers.location).toBe('/create-account/check-email')
    const [mail] = await emails('Amina@Example.org')
    expect(mail!.subject).toBe('Confirm your email address for OpenChoice')

    const early = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(errorSummaryOf(early.body)[0]).toMatch(/confirm your email address first/)

    const link = linkIn(mail!.body, '/verify-email')
    expect(headingOf((await client.get(link)).body)).toBe('Confirm your email address')
    expect((await client.submitForm(link, {})).headers.location).toBe('/sign-in?confirmed=1')

    const signIn = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(signIn.statusCode).toBe(303)
    const account = await client.get('/account')
    expect(headingOf(account.body)).toBe('Your account')
    expect(account.body).toContain('Amina@Example.org')

    expect((await client.submitForm('/account', {}, '/sign-out')).headers.location).toBe('/signed-out')
    expect((await client.get('/account')).headers.location).toBe('/sign-in?next=%2Faccount')
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        'auth.account.created',
        'auth.sign-in.failed',
        'auth.email.verified',
        'auth.sign-in.succeeded',
      ]),
    )
  })

  it('a confirmation link works once and expires after 24 hours', async () => {
    const client = new TestClient(t.app)
    await client.submitForm('/create-account', { email: 'ben@example.org', password: PASSWORD, confirm: PASSWORD })
    await client.submitForm('/create-account', { email: 'cai@example.org', password: PASSWORD, confirm: PASSWORD })
    const benLink = linkIn((await emails('ben@example.org'))[0]!.body, '/verify-email')
    const caiLink = linkIn((await emails('cai@example.org'))[0]!.body, '/verify-email')
    const page = await client.get(benLink)
    await client.submitForm(benLink, {})
    const token = benLink.split('=')[1]!
    const replay = await client.post('/verify-email', {
      token,
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
    })
    expect(replay.statusCode).toBe(400)
    expect(headingOf(replay.body)).toBe('This link has expired or has already been used')
    advance(24 * 60 * MINUTE + MINUTE)
    expect((await client.get(caiLink)).statusCode).toBe(400)
  })

  it('someone signing up with an address that has an account sees the same page, and the owner is told', async () => {
    await verifiedAccount('dee@example.org')
    const res = await new TestClient(t.app).submitForm('/create-account', {
      email: 'DEE@example.org',
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    })
    expect(res.headers.location).toBe('/create-account/check-email')
    const mails = await emails('dee@example.org')
    expect(mails.map((m) => m.subject)).toContain(
      'Someone tried to create an OpenChoice account with your email address',
    )
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from accounts.people`.execute(t.database.db)
    expect(rows[0]!.n).toBe(1)
  })

  it.each([
    [{ email: '', password: PASSWORD, confirm: PASSWORD }, 'Enter your email address'],
    [
      { email: 'not-an-email', password: PASSWORD, confirm: PASSWORD },
      'Enter an email address in the correct format, like name@example.com',
    ],
    [{ email: 'e@example.org', password: 'short', confirm: 'short' }, 'Your password must be at least 12 characters'],
    [
      { email: 'e@example.org', password: 'password1234', confirm: 'password1234' },
      'That password is too common. Choose one that other people are unlikely to use',
    ],
    [{ email: 'e@example.org', password: PASSWORD, confirm: 'something else' }, 'The passwords do not match'],
    [{ email: ['a@example.org', 'b@example.org'], password: PASSWORD, confirm: PASSWORD }, 'Enter your email address'],
  ])('resident who makes a mistake creating an account is told what to fix (%#)', async (answers, message) => {
    const res = await new TestClient(t.app).submitForm('/create-account', answers)
    expect(res.statusCode).toBe(400)
    expect(errorSummaryOf(res.body)).toContain(message)
    expect(res.body).not.toContain(PASSWORD) // passwords are never sent back
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from accounts.people`.execute(t.database.db)
    expect(rows[0]!.n).toBe(0)
  })

  it('signing in gives a new session id each time, and the old one stops working (no fixation)', async () => {
    const client = await verifiedAccount()
    const first = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    const firstToken = first.cookies.find((c) => c.name === 'openchoice-session')!.value
    const second = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    const secondToken = second.cookies.find((c) => c.name === 'openchoice-session')!.value
    expect(secondToken).not.toBe(firstToken)
    expect(secondToken).toMatch(/^[\w-]{43}$/) // 256 random bits
    const stale = await t.app.inject({ url: '/account', cookies: { 'openchoice-session': firstToken } })
    expect(stale.statusCode).toBe(303)
    const cookie = second.cookies.find((c) => c.name === 'openchoice-session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })

  it('a session ends after 30 minutes without activity', async () => {
    const client = await signedIn()
    advance(29 * MINUTE)
    expect((await client.get('/account')).statusCode).toBe(200)
    advance(29 * MINUTE)
    expect((await client.get('/account')).statusCode).toBe(200) // activity keeps it alive
    advance(31 * MINUTE)
    expect((await client.get('/account')).statusCode).toBe(303)
    expect(await auditActions()).toContain('auth.session.expired-idle')
  })

  it('static files are served without looking up the session', async () => {
    const client = await signedIn()
    advance(31 * MINUTE) // the session is now idle-expired, but only a page request finds that out
    const expiries = async () => (await auditActions()).filter((a) => a === 'auth.session.expired-idle').length
    const before = await expiries()
    const css = await client.get('/assets/application.css')
    expect(css.statusCode).toBe(200)
    expect(css.cookies).toEqual([])
    expect(await expiries()).toBe(before)
    expect((await client.get('/account')).statusCode).toBe(303)
    expect(await expiries()).toBe(before + 1)
  })

  it('a session ends 12 hours after sign-in however active it is', async () => {
    const client = await signedIn()
    for (let i = 0; i < 35; i++) {
      advance(20 * MINUTE)
      expect((await client.get('/account')).statusCode).toBe(200)
    }
    advance(20 * MINUTE) // 12 hours after sign-in
    expect((await client.get('/account')).statusCode).toBe(303)
    expect(await auditActions()).toContain('auth.session.expired-absolute')
  })

  it('signing out without the form’s CSRF token is refused', async () => {
    const client = await signedIn()
    expect((await client.post('/sign-out', {})).statusCode).toBe(403)
    expect((await client.get('/account')).statusCode).toBe(200)
  })

  it('resident resets a forgotten password: the link works once, and every session ends', async () => {
    const other = await signedIn()
    const client = new TestClient(t.app)
    expect((await client.submitForm('/reset-password', { email: 'AMINA@example.org' })).headers.location).toBe(
      '/reset-password/check-email',
    )
    const mail = (await emails('amina@example.org')).find((m) => m.subject === 'Reset your OpenChoice password')!
    const link = linkIn(mail.body, '/reset-password/new')
    const weak = await client.submitForm(link, { password: 'qwertyuiop12', confirm: 'qwertyuiop12' })
    expect(errorSummaryOf(weak.body)).toEqual([
      'That password is too common. Choose one that other people are unlikely to use',
    ])
    const done = await client.submitForm(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    expect(done.headers.location).toBe('/sign-in?reset=1')
    expect((await client.get(link)).statusCode).toBe(400) // used
    expect((await other.get('/account')).statusCode).toBe(303) // signed out everywhere
    const old = await client.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(old.statusCode).toBe(400)
    const fresh = await client.submitForm('/sign-in', { email: 'amina@example.org', password: NEW_PASSWORD })
    expect(fresh.headers.location).toBe('/account')
  })

  it('asking to reset an unknown address looks the same and sends nothing', async () => {
    const res = await new TestClient(t.app).submitForm('/reset-password', { email: 'nobody@example.org' })
    expect(res.headers.location).toBe('/reset-password/check-email')
    expect(await emails('nobody@example.org')).toEqual([])
  })

  it('a reset link expires after an hour', async () => {
    await verifiedAccount()
    await new TestClient(t.app).submitForm('/reset-password', { email: 'amina@example.org' })
    const mail = (await emails('amina@example.org')).find((m) => m.subject === 'Reset your OpenChoice password')!
    advance(61 * MINUTE)
    expect((await new TestClient(t.app).get(linkIn(mail.body, '/reset-password/new'))).statusCode).toBe(400)
  })

  it('changing a password ends the person’s other sessions but keeps this one', async () => {
    const laptop = await signedIn()
    const phone = new TestClient(t.app)
    await phone.submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    const wrong = await laptop.submitForm('/account/change-password', {
      current: 'not my password',
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    })
    expect(errorSummaryOf(wrong.body)).toEqual(['Your current password is not right'])
    const res = await laptop.submitForm('/account/change-password', {
      current: PASSWORD,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    })
    expect(res.headers.location).toBe('/account?changed=1')
    expect((await laptop.get('/account')).statusCode).toBe(200)
    expect((await phone.get('/account')).statusCode).toBe(303)
  })

  it('after 5 wrong passwords an account must wait, longer each time, even for the right password', async () => {
    await verifiedAccount()
    const client = new TestClient(t.app)
    const attempt = (password: string) => client.submitForm('/sign-in', { email: 'amina@example.org', password })
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password ' + i)).statusCode).toBe(400)
    const blocked = await attempt(PASSWORD)
    expect(blocked.statusCode).toBe(429)
    expect(errorSummaryOf(blocked.body)[0]).toMatch(/too many attempts/)
    advance(3_000) // the first delay is 2 seconds
    expect((await attempt(PASSWORD)).headers.location).toBe('/account')
    expect(await auditActions()).toContain('auth.sign-in.throttled')
  })

  it('never allows more than 100 failed attempts per account per hour', async () => {
    await verifiedAccount()
    const { rows } = await sql<{ id: string }>`select id from accounts.people`.execute(t.database.db)
    for (let i = 0; i < 100; i++) {
      await sql`insert into accounts.sign_in_failures (person_id, failed_at) values (${rows[0]!.id}, ${new Date(clock.getTime() - 30 * MINUTE + i * 1000)})`.execute(
        t.database.db,
      )
    }
    advance(16 * MINUTE) // past the longest growing delay (15 minutes), but within the hour of the failures
    const res = await new TestClient(t.app).submitForm('/sign-in', { email: 'amina@example.org', password: PASSWORD })
    expect(res.statusCode).toBe(429)
  })

  it('limits sign-in attempts from one address to 10 a minute', async () => {
    const client = new TestClient(t.app)
    const page = await client.get('/sign-in')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await client.post('/sign-in', { _csrf: csrf, email: `x${i}@example.org`, password: 'whatever it is' }))
          .statusCode,
      )
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true)
    expect(statuses[10]).toBe(429)
  })
})
