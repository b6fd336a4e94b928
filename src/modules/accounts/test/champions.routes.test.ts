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
import { verifyAuditChain } from '../../../platform/index.ts'
import { modules } from '../../registry.ts'
import {
  auditActions,
  championWithConsent,
  csrfOf,
  insertProvider,
  lastEmailTo,
  PASSWORD,
  signedInAs,
} from './factories.ts'

const DAY = 24 * 3600_000

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let clock = new Date('2026-11-23T10:00:00Z')
  let gp: string
  let school: string

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { now: () => clock })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    clock = new Date('2026-11-23T10:00:00Z')
    await truncateSchemas(t.database, ['accounts', 'choice', 'directory'])
    await sql`delete from platform.notifications`.execute(t.database.db)
    gp = await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    school = await insertProvider(t, { ref: '100000', name: 'Sir John Cass School', framework: 'education' })
  })

  async function champion(email = 'chris.champion@example.org') {
    return signedInAs(t, email, [{ role: 'champion' }])
  }

  /** A champion asks; the person answers through their own account. */
  async function consentGranted(frameworks: string[] = ['nhs-care'], actions: string[] = ['choose']) {
    return championWithConsent(t, { frameworks, actions })
  }

  it('a champion asks, the person grants, the champion acts for them, and the person sees it in their history', async () => {
    const { champion: c, person, consentId } = await consentGranted()
    const mail = await lastEmailTo(t, 'pat.person@example.org')
    expect(mail!.subject).toBe('A choice champion has asked to help you')

    const acted = await c.client.submitForm('/champion', { consentId }, '/champion/act')
    expect(acted.headers.location).toBe('/')
    const home = await c.client.get('/')
    expect(home.body).toContain('You are acting for pat.person@example.org')

    const added = await c.client.submitForm(`/providers/${gp}`, {}, '/shortlist')
    expect(added.headers.location).toBe('/shortlist?added=1')
    // It is the person's shortlist that changed, not the champion's.
    expect((await person.client.get('/shortlist')).body).toContain('The Densham Surgery')
    await c.client.submitForm('/', {}, '/champion/stop')
    expect((await c.client.get('/shortlist')).body).not.toContain('The Densham Surgery')

    const { rows } = await sql<{ actor_id: string; on_behalf_of_id: string }>`
      select actor_id, on_behalf_of_id from platform.audit_log where action = 'shortlist.added'`.execute(t.database.db)
    expect(rows).toEqual([{ actor_id: c.personId, on_behalf_of_id: person.personId }])

    const history = await person.client.get('/account/champions/history')
    expect(history.body).toContain('Added a provider to your shortlist')
    expect(history.body).toContain('chris.champion@example.org')
  })

  it('after the person revokes, the champion is refused and nothing is done for them', async () => {
    const { champion: c, person, consentId } = await consentGranted()
    await c.client.submitForm('/champion', { consentId }, '/champion/act')
    const providerPage = await c.client.get(`/providers/${gp}`) // rendered while the consent was live

    const revoked = await person.client.submitForm('/account/champions', {}, `/account/champions/${consentId}/revoke`)
    expect(revoked.headers.location).toBe('/account/champions?done=revoked')

    const csrf = /name="_csrf" value="([^"]+)"/.exec(providerPage.body)![1]!
    const refused = await c.client.post('/shortlist', { _csrf: csrf, providerId: gp, subject: person.personId })
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('You can no longer act for this person')
    expect((await person.client.get('/shortlist')).body).not.toContain('The Densham Surgery')
    expect((await c.client.get('/')).body).not.toContain('You are acting for')

    // The act button is gone; a request made anyway is refused.
    expect((await c.client.get('/champion')).body).not.toContain('Act for pat.person@example.org')
    const again = await c.client.post('/champion/act', { _csrf: await csrfOf(c.client), consentId })
    expect(again.statusCode).toBe(403)
    expect(again.body).toContain('their consent is not in place')
    expect(await auditActions(t)).toEqual(expect.arrayContaining(['consent.revoked', 'access.denied']))
  })

  it('a champion cannot act outside the frameworks and actions the person agreed to', async () => {
    const { champion: c, consentId } = await consentGranted(['education'], ['choose'])
    await c.client.submitForm('/champion', { consentId }, '/champion/act')
    const refused = await c.client.submitForm(`/providers/${gp}`, {}, '/shortlist')
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('consent does not cover this')
    const allowed = await c.client.submitForm(`/providers/${school}`, {}, '/shortlist')
    expect(allowed.statusCode).toBe(303)
  })

  it('the person can refuse, and a refused or expired request cannot be granted later', async () => {
    const c = await champion()
    const person = await signedInAs(t, 'pat.person@example.org')
    await c.client.submitForm('/champion/ask', {
      email: 'pat.person@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '1',
    })
    const { rows } = await sql<{ id: string }>`select id from accounts.consents`.execute(t.database.db)
    const id = rows[0]!.id
    const empty = await person.client.submitForm(`/account/champions/${id}`, {})
    expect(errorSummaryOf(empty.body)).toEqual(['Select yes if you want this champion to help you'])
    await person.client.submitForm(`/account/champions/${id}`, { decision: 'refuse' })
    const late = await person.client.get(`/account/champions/${id}`)
    expect(late.body).toContain('already been answered')
    const acted = await c.client.post('/champion/act', { _csrf: await csrfOf(c.client), consentId: id })
    expect(acted.statusCode).toBe(403)
    expect((await c.client.get('/')).body).not.toContain('You are acting for')

    // A request nobody answers expires with its consent period.
    await c.client.submitForm('/champion/ask', {
      email: 'pat.person@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '1',
    })
    clock = new Date(clock.getTime() + 32 * DAY)
    await person.client.submitForm('/sign-in', { email: 'pat.person@example.org', password: PASSWORD })
    const list = await person.client.get('/account/champions')
    expect(list.body).toContain('Expired')
  })

  it('a request to an address with no account waits until that address has a confirmed account', async () => {
    const c = await champion()
    await c.client.submitForm('/champion/ask', {
      email: 'new.person@example.org',
      frameworks: ['social-care', 'nhs-care'],
      actions: ['choose', 'feedback'],
      months: '12',
    })
    expect((await lastEmailTo(t, 'new.person@example.org'))!.body).toContain('/account/champions')
    const person = await signedInAs(t, 'new.person@example.org')
    const list = await person.client.get('/account/champions')
    expect(list.body).toContain('chris.champion@example.org')
    expect(list.body).toContain('Waiting for an answer')
  })

  it('consent recorded offline needs an account, takes effect, tells the person and waits for review', async () => {
    const c = await champion()
    const noAccount = await c.client.submitForm('/champion/record', {
      email: 'nobody@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '3',
      note: 'Signed form at the advice centre',
      confirm: 'yes',
    })
    expect(errorSummaryOf(noAccount.body)[0]).toContain('There is no confirmed OpenChoice account')
    const blank = await c.client.submitForm('/champion/record', {})
    expect(errorSummaryOf(blank.body)).toEqual([
      'Enter your email address',
      'Select at least one area the champion can help with',
      'Select at least one thing the champion can do',
      'Select how long the consent should last',
      'Enter how and when the person gave their consent',
      'Confirm that the person gave you their consent',
    ])

    const person = await signedInAs(t, 'pat.person@example.org')
    const recorded = await c.client.submitForm('/champion/record', {
      email: 'pat.person@example.org',
      frameworks: 'nhs-care',
      actions: 'choose',
      months: '3',
      note: 'Signed form at the advice centre on 20 November',
      confirm: 'yes',
    })
    expect(recorded.headers.location).toBe('/champion?done=recorded')
    expect((await lastEmailTo(t, 'pat.person@example.org'))!.subject).toContain('recorded your permission')
    expect((await person.client.get('/account/champions')).body).toContain('In place')

    const admin = await signedInAs(t, 'ada.admin@example.org', [{ role: 'admin' }])
    const review = await admin.client.get('/admin/consents')
    expect(review.body).toContain('Signed form at the advice centre on 20 November')
    const confirmed = await admin.client.submitForm('/admin/consents', { decision: 'confirm' })
    expect(confirmed.headers.location).toBe('/admin/consents?done=confirmed')
    expect((await admin.client.get('/admin/consents')).body).toContain('There is nothing to check')
    expect(await auditActions(t)).toEqual(expect.arrayContaining(['consent.recorded-offline', 'consent.reviewed']))
  })

  it("nobody can see or answer someone else's consent (404, audited)", async () => {
    const { consentId } = await consentGranted()
    const other = await signedInAs(t, 'olu.other@example.org')
    expect((await other.client.get(`/account/champions/${consentId}`)).statusCode).toBe(404)
    const csrf = await csrfOf(other.client)
    const revoke = await other.client.post(`/account/champions/${consentId}/revoke`, { _csrf: csrf })
    expect(revoke.statusCode).toBe(404)
    const notAnId = await other.client.get('/account/champions/not-a-uuid')
    expect(notAnId.statusCode).toBe(404)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'access.denied' and object_type = 'consent' and object_id = ${consentId}`.execute(t.database.db)
    expect(rows[0]!.n).toBe(2)
    // And the consent is still in place.
    expect((await sql<{ status: string }>`select status from accounts.consents`.execute(t.database.db)).rows).toEqual([
      { status: 'granted' },
    ])
  })

  it('only champions reach the champion pages', async () => {
    const resident = await signedInAs(t, 'pat.person@example.org')
    const res = await resident.client.get('/champion')
    expect(res.statusCode).toBe(403)
    expect(headingOf(res.body)).toBe('You cannot see this page')
  })

  it('an administrator grants a scoped role through the pages, and cannot change their own roles', async () => {
    const admin = await signedInAs(t, 'ada.admin@example.org', [{ role: 'admin' }])
    const staff = await signedInAs(t, 'sam.staff@example.org')
    const found = await admin.client.submitForm('/admin', { email: 'Sam.Staff@example.org' })
    expect(found.headers.location).toBe(`/admin/people/${staff.personId}`)
    const page = `/admin/people/${staff.personId}/roles/new`

    const noRole = await admin.client.submitForm(page, {})
    expect(errorSummaryOf(noRole.body)).toEqual(['Select a role'])
    const noScope = await admin.client.submitForm(page, { role: 'provider-staff' })
    expect(errorSummaryOf(noScope.body)).toEqual(['Enter where this person has the role'])
    const unknown = await admin.client.submitForm(page, { role: 'provider-staff', scope: 'ZZ999' })
    expect(errorSummaryOf(unknown.body)[0]).toContain('We could not find that')

    const granted = await admin.client.submitForm(page, { role: 'provider-staff', scope: 'a81001' })
    expect(granted.headers.location).toBe(`/admin/people/${staff.personId}?done=granted`)
    const person = await admin.client.get(`/admin/people/${staff.personId}`)
    expect(person.body).toContain('Provider staff')
    expect(person.body).toContain('The Densham Surgery')
    const twice = await admin.client.submitForm(page, { role: 'provider-staff', scope: 'A81001' })
    expect(errorSummaryOf(twice.body)).toEqual(['This person already has this role there'])

    const gpOrganisation = (
      await sql<{ id: string }>`select organisation_id as id from directory.services where id = ${gp}`.execute(
        t.database.db,
      )
    ).rows[0]!.id
    const { rows } = await sql<{ details: Record<string, unknown>; actor_id: string }>`
      select details, actor_id from platform.audit_log where action = 'role.granted' and actor_id is not null`.execute(
      t.database.db,
    )
    expect(rows).toEqual([
      {
        actor_id: admin.personId,
        details: {
          personId: staff.personId,
          role: 'provider-staff',
          scopeType: 'organisation',
          scopeId: gpOrganisation,
        },
      },
    ])

    const own = await admin.client.get(`/admin/people/${admin.personId}`)
    expect(own.body).toContain('You cannot change your own roles')
    const ownGrant = await admin.client.submitForm(`/admin/people/${staff.personId}/roles/new`, {
      role: 'ombudsman',
    })
    expect(ownGrant.statusCode).toBe(303)
    const csrf = await csrfOf(admin.client)
    const selfRaise = await admin.client.post(`/admin/people/${admin.personId}/roles`, { _csrf: csrf, role: 'analyst' })
    expect(errorSummaryOf(selfRaise.body)).toEqual(['You cannot change your own roles'])

    const removeForm = parseHtml(person.body).querySelector(`form[action*="/remove"]`)!.getAttribute('action')!
    const removed = await admin.client.submitForm(`/admin/people/${staff.personId}`, {}, removeForm)
    expect(removed.headers.location).toBe(`/admin/people/${staff.personId}?done=removed`)
    expect(await auditActions(t)).toEqual(expect.arrayContaining(['role.revoked', 'record.read']))
  })

  it('a person downloads everything held about them, without any secret', async () => {
    const { person } = await consentGranted()
    await person.client.submitForm(`/providers/${gp}`, {}, '/shortlist')
    const res = await person.client.get('/account/data/download')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="openchoice-your-data-2026-11-23.json"$/)
    const data = JSON.parse(res.body)
    expect(data.accounts.account.email).toBe('pat.person@example.org')
    expect(data.accounts.consentsGivenByYou).toHaveLength(1)
    expect(data.choice.shortlist).toEqual([expect.objectContaining({ provider_id: gp })])
    expect(data.platform.messages.length).toBeGreaterThan(0)
    expect(res.body).not.toMatch(/password_hash|token_hash|\$argon2/)
    expect(await auditActions(t)).toContain('personal-data.exported')
  })

  it('erasure needs the password, then deletes or anonymises everything and keeps the audit trail intact', async () => {
    const { person, champion: c } = await consentGranted()
    await person.client.submitForm(`/providers/${gp}`, {}, '/shortlist')
    const wrong = await person.client.submitForm('/account/delete', { password: 'not it', confirm: 'yes' })
    expect(errorSummaryOf(wrong.body)).toEqual(['Your current password is not right'])
    const unconfirmed = await person.client.submitForm('/account/delete', { password: PASSWORD })
    expect(errorSummaryOf(unconfirmed.body)).toEqual(['Confirm that you want to delete your account'])

    const done = await person.client.submitForm('/account/delete', { password: PASSWORD, confirm: 'yes' })
    expect(done.headers.location).toBe('/account-deleted')
    expect((await person.client.get('/account')).statusCode).toBe(303) // signed out everywhere

    const db = t.database.db
    const people = await sql<{ email: string; erased: boolean }>`
      select email, erased_at is not null as erased from accounts.people where id = ${person.personId}`.execute(db)
    expect(people.rows).toEqual([{ email: `erased-${person.personId}@erased.invalid`, erased: true }])
    expect((await sql`select 1 from choice.shortlist_items`.execute(db)).rows).toEqual([])
    expect((await sql`select 1 from accounts.sessions where person_id = ${person.personId}`.execute(db)).rows).toEqual(
      [],
    )
    const consents = await sql<{ status: string }>`select status from accounts.consents`.execute(db)
    expect(consents.rows).toEqual([{ status: 'revoked' }])
    const mail = await sql`select 1 from platform.notifications where recipient = 'pat.person@example.org'`.execute(db)
    expect(mail.rows).toEqual([])
    expect((await verifyAuditChain(db)).ok).toBe(true)
    expect(await auditActions(t)).toContain('personal-data.erased')

    const again = new TestClient(t.app)
    const signIn = await again.submitForm('/sign-in', { email: 'pat.person@example.org', password: PASSWORD })
    expect(signIn.statusCode).toBe(400)
    // The champion's own account is untouched.
    expect((await c.client.get('/champion')).statusCode).toBe(200)
  })
})
