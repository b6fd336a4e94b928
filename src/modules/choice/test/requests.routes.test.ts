import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  headingOf,
  parseHtml,
  testDialects,
  truncateSchemas,
  type TestApp,
  type TestClient,
} from '../../../platform/testing/index.ts'
import { createLogger, runJobsOnce } from '../../../platform/index.ts'
import { modules } from '../../registry.ts'
import {
  actFor,
  auditActions,
  championWithConsent,
  insertProvider,
  lastEmailTo,
  PASSWORD,
  signedInAs,
} from '../../accounts/test/factories.ts'

const PERSON = 'pat.person@example.org'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  // Monday 21 December 2026, 10am: the GP standard of 5 working days skips Christmas Day and Boxing Day's substitute.
  let clock = new Date('2026-12-21T10:00:00Z')
  let gp: string
  let otherGp: string

  beforeAll(async () => {
    t = await createTestApp(dialect, modules, { now: () => clock })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    clock = new Date('2026-12-21T10:00:00Z')
    await truncateSchemas(t.database, ['accounts', 'choice', 'directory', 'feedback'])
    await sql`delete from platform.notifications`.execute(t.database.db)
    await sql`delete from platform.events`.execute(t.database.db)
    gp = await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    otherGp = await insertProvider(t, { ref: 'A81002', name: 'Queens Park Medical Centre', framework: 'nhs-care' })
  })

  const staffOf = (ref: string, email = 'sam.staff@example.org') =>
    signedInAs(t, email, [{ role: 'provider-staff', scope: ref }])

  /** The person's browser sends the choose form for a provider; answers the redirect's request id. */
  async function ask(client: Awaited<ReturnType<typeof signedInAs>>['client'], provider: string, message = '') {
    const sent = await client.submitForm(`/choose/request/new?provider=${provider}`, { message }, '/choose/request/new')
    expect(sent.statusCode, sent.body.slice(0, 3000)).toBe(303)
    const id = /^\/my-choices\/([\w-]{36})\?sent=1$/.exec(String(sent.headers.location))?.[1]
    if (!id) throw new Error(`Sent to ${String(sent.headers.location)}`)
    return id
  }

  async function signInAgain(client: TestClient, email: string) {
    const res = await client.submitForm('/sign-in', { email, password: PASSWORD })
    expect(res.headers.location).toBe('/account')
  }

  const events = async () =>
    (
      await sql<{ type: string; payload: Record<string, unknown>; key: string }>`
        select type, payload, key from platform.events order by occurred_at, type`.execute(t.database.db)
    ).rows

  const runJobs = () =>
    runJobsOnce({ db: t.database.db, config: t.config, now: () => clock, log: createLogger('silent'), modules })

  it('a resident asks a GP practice to register them; its staff accept; the resident is told at each step', async () => {
    const person = await signedInAs(t, PERSON)
    const form = await person.client.get(`/choose/request/new?provider=${gp}`)
    expect(headingOf(form.body)).toBe('Ask to register with this GP practice')
    // 5 working days from Monday 21 December: 22, 23, 24, (25 to 28 are holidays and a weekend) 29 and 30.
    expect(form.body).toContain('Within 5 working days: by the end of 30 December 2026')
    const id = await ask(person.client, gp, 'I use a wheelchair.')
    const sent = await person.client.get(`/my-choices/${id}?sent=1`)
    expect(sent.body).toContain('Request sent')
    expect(sent.body).toContain('Waiting for an answer')
    expect((await lastEmailTo(t, PERSON))!.subject).toBe('Your request to The Densham Surgery has been sent')

    const staff = await staffOf('A81001')
    const inbox = await staff.client.get('/provider-requests')
    expect(inbox.body).toContain('Request to The Densham Surgery')
    const page = await staff.client.get(`/provider-requests/${id}`)
    expect(page.body).toContain(PERSON)
    expect(page.body).toContain('I use a wheelchair.')
    const answered = await staff.client.submitForm(`/provider-requests/${id}`, { outcome: 'accept' })
    expect(answered.headers.location).toBe(`/provider-requests/${id}?answered=1`)

    const mine = await person.client.get('/my-choices')
    expect(mine.body).toContain('The Densham Surgery')
    expect(mine.body).toContain('Accepted')
    expect((await lastEmailTo(t, PERSON))!.subject).toBe('The Densham Surgery has accepted your request')
    // An accepted choice is no case for redress; its answer time is published for the providers' figures.
    expect(await events()).toEqual([
      expect.objectContaining({
        type: 'choice.request-decided',
        payload: expect.objectContaining({ requestId: id, onTime: true, serviceId: gp }),
      }),
    ])

    // A fulfilled choice prompts for feedback: the Friends and Family Test question, once a month.
    const accepted = await person.client.get(`/my-choices/${id}`)
    expect(accepted.body).toContain('Tell us about your experience')
    const question = await person.client.get(`/my-choices/${id}/feedback`)
    expect(question.body).toContain('Overall, how was your experience of our service?')
    const none = await person.client.submitForm(`/my-choices/${id}/feedback`, {})
    expect(none.statusCode).toBe(400)
    const given = await person.client.submitForm(`/my-choices/${id}/feedback`, { answer: 'very-good' })
    expect(given.headers.location).toBe(`/my-choices/${id}?feedback=given`)
    const again = await person.client.submitForm(`/my-choices/${id}/feedback`, { answer: 'poor' })
    expect(again.headers.location).toBe(`/my-choices/${id}?feedback=already`)
    const { rows: responses } = await sql<{ answer: string; mode: string }>`
      select answer, mode from feedback.responses`.execute(t.database.db)
    expect(responses).toEqual([{ answer: 'very-good', mode: 'online' }])
    const actions = await auditActions(t)
    expect(actions).toContain('choice.request.sent')
    expect(actions).toContain('choice.request.accepted')
  })

  it('staff decline with a reason: a choice not given, published for redress, and the resident is told how to seek it', async () => {
    const person = await signedInAs(t, PERSON)
    const id = await ask(person.client, gp)
    const staff = await staffOf('A81001')
    const noReason = await staff.client.submitForm(`/provider-requests/${id}`, { outcome: 'decline' })
    expect(noReason.statusCode).toBe(400)
    expect(errorSummaryOf(noReason.body)).toEqual(['Select why you are declining'])
    const nothing = await staff.client.submitForm(`/provider-requests/${id}`, {})
    expect(errorSummaryOf(nothing.body)).toEqual(['Select accept or decline'])

    const csrf = /name="_csrf" value="([^"]+)"/.exec((await staff.client.get(`/provider-requests/${id}`)).body)![1]!
    const decline = { _csrf: csrf, outcome: 'decline', reason: 'outside-area', note: 'Our list covers Stockton only.' }
    expect((await staff.client.post(`/provider-requests/${id}`, decline)).statusCode).toBe(303)
    // The same answer sent twice changes nothing; a different one after it is refused plainly.
    expect((await staff.client.post(`/provider-requests/${id}`, decline)).statusCode).toBe(303)
    const changed = await staff.client.post(`/provider-requests/${id}`, { _csrf: csrf, outcome: 'accept' })
    expect(changed.statusCode).toBe(409)
    expect(errorSummaryOf(changed.body)).toEqual(['This request has already been answered'])
    const page = await person.client.get(`/my-choices/${id}`)
    expect((await person.client.get(`/my-choices/${id}/feedback`)).statusCode).toBe(404) // only after a choice is given
    expect(page.body).toContain('You have not been given your choice')
    expect(page.body).toContain('The person lives outside the area the provider serves')
    expect(page.body).toContain('Our list covers Stockton only.')
    expect(page.body).toContain('Parliamentary and Health Service Ombudsman')
    expect((await lastEmailTo(t, PERSON))!.subject).toBe('The Densham Surgery has declined your request')
    expect((await events()).filter((e) => e.type === 'choice.not-given')).toEqual([
      {
        type: 'choice.not-given',
        key: `choice.not-given:${id}`,
        payload: expect.objectContaining({ requestId: id, cause: 'declined', declineReason: 'outside-area' }),
      },
    ])
  })

  it('no answer by the deadline: the job records a choice not given, once, and the resident sees it', async () => {
    const person = await signedInAs(t, PERSON)
    const id = await ask(person.client, gp)
    clock = new Date('2026-12-30T23:59:00Z') // the last minute of the last working day
    await runJobs()
    await signInAgain(person.client, PERSON) // sessions do not last nine days
    expect((await person.client.get(`/my-choices/${id}`)).body).toContain('Waiting for an answer')
    clock = new Date('2026-12-31T00:05:00Z') // past the deadline, and the job's next run (every 5 minutes)
    await runJobs()
    const page = await person.client.get(`/my-choices/${id}`)
    expect(page.body).toContain('Not answered in time')
    expect(page.body).toContain('did not answer your request by the end of 30 December 2026')
    expect(page.body).toContain('Not answered by the deadline')
    clock = new Date('2026-12-31T01:00:00Z')
    await runJobs()
    expect((await events()).map((e) => [e.type, e.payload.cause ?? e.payload.onTime])).toEqual([
      ['choice.not-given', 'no-answer'],
      ['choice.request-decided', false],
    ])
    expect((await lastEmailTo(t, PERSON))!.subject).toBe('The Densham Surgery did not answer your request in time')

    // Staff can still answer late, so the person knows; it stays counted as a choice not given.
    const staff = await staffOf('A81001')
    expect((await staff.client.get(`/provider-requests/${id}`)).body).toContain(
      'The deadline, the end of 30 December 2026, has passed',
    )
    await staff.client.submitForm(`/provider-requests/${id}`, { outcome: 'decline', reason: 'no-capacity' })
    expect(await events()).toHaveLength(2) // a late answer publishes nothing new
  })

  it("a provider's staff cannot see or answer another provider's requests (404, audited)", async () => {
    const person = await signedInAs(t, PERSON)
    const id = await ask(person.client, gp)
    const other = await staffOf('A81002', 'olly.other@example.org')
    expect((await other.client.get('/provider-requests?show=all')).body).not.toContain('The Densham Surgery')
    expect((await other.client.get(`/provider-requests/${id}`)).statusCode).toBe(404)
    const own = await staffOf('A81001')
    const ownPage = await own.client.get(`/provider-requests/${id}`)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(ownPage.body)![1]!
    // Another organisation's staff cannot answer it, even with a valid token of their own session's form.
    const otherCsrf = /name="_csrf" value="([^"]+)"/.exec((await other.client.get('/account')).body)![1]!
    expect(
      (await other.client.post(`/provider-requests/${id}`, { _csrf: otherCsrf, outcome: 'accept' })).statusCode,
    ).toBe(404)
    expect(csrf).toBeTruthy()
    expect((await person.client.get(`/provider-requests/${id}`)).statusCode).toBe(403) // residents have no inbox
    const stranger = await signedInAs(t, 'sid.stranger@example.org')
    expect((await stranger.client.get(`/my-choices/${id}`)).statusCode).toBe(404)
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from platform.audit_log where action = 'access.denied' and object_id = ${id}`.execute(
      t.database.db,
    )
    expect(Number(rows[0]!.n)).toBe(3)
    expect((await person.client.get(`/my-choices/${id}`)).body).toContain('Waiting for an answer')
  })

  it('bad input gets a clear answer: unknown, malformed or deregistered provider, a long message, a form sent twice', async () => {
    const person = await signedInAs(t, PERSON)
    expect((await person.client.get('/choose/request/new?provider=nope')).statusCode).toBe(404)
    expect((await person.client.get('/choose/request/new')).statusCode).toBe(404)
    expect((await person.client.get(`/choose/request/new?provider=${crypto.randomUUID()}`)).statusCode).toBe(404)

    await sql`update directory.registrations set status = 'cancelled' where service_id = ${otherGp}`.execute(
      t.database.db,
    )
    const refused = await person.client.get(`/choose/request/new?provider=${otherGp}`)
    expect(refused.statusCode).toBe(409)
    expect(headingOf(refused.body)).toBe('You cannot ask Queens Park Medical Centre at the moment')

    const long = await person.client.submitForm(`/choose/request/new?provider=${gp}`, { message: 'x'.repeat(1001) })
    expect(long.statusCode).toBe(400)
    expect(errorSummaryOf(long.body)).toEqual(['What the provider should know must be 1,000 characters or fewer'])

    // The same form sent twice makes one request; both answers lead to it.
    const page = await person.client.get(`/choose/request/new?provider=${gp}`)
    const form = Object.fromEntries(
      parseHtml(page.body)
        .querySelectorAll('form[action="/choose/request/new"] input[type=hidden]')
        .map((i) => [i.getAttribute('name')!, i.getAttribute('value') ?? '']),
    )
    const first = await person.client.post('/choose/request/new', form)
    const second = await person.client.post('/choose/request/new', form)
    expect(first.headers.location).toMatch(/^\/my-choices\//)
    expect(second.headers.location).toBe(first.headers.location)
    // A new form for a provider already asked explains what to do instead.
    const third = await person.client.submitForm(`/choose/request/new?provider=${gp}`, {})
    expect(third.statusCode).toBe(409)
    expect(errorSummaryOf(third.body)).toEqual([
      'You have already sent The Densham Surgery a request that is waiting for an answer',
    ])
    const { rows } = await sql<{ n: string }>`select count(*) as n from choice.requests`.execute(t.database.db)
    expect(Number(rows[0]!.n)).toBe(1)
    // A forged form with no one-time key is shown again, not stored.
    const forged = await person.client.post('/choose/request/new', { ...form, submission: 'x' })
    expect(forged.statusCode).toBe(400)
  })

  it('a champion chooses for a consenting person; both are recorded, and the person sees it as theirs', async () => {
    const { champion, person, consentId } = await championWithConsent(t, {
      frameworks: ['nhs-care'],
      actions: ['choose'],
    })
    await actFor(champion, consentId)
    const id = await ask(champion.client, gp)
    const mine = await person.client.get(`/my-choices/${id}`)
    expect(mine.body).toContain('Sent on 21 December 2026 by a choice champion')
    const { rows } = await sql<{ actor_id: string; on_behalf_of_id: string }>`
      select actor_id, on_behalf_of_id from platform.audit_log
      where action = 'choice.request.sent' and object_id = ${id}`.execute(t.database.db)
    expect(rows).toEqual([{ actor_id: champion.personId, on_behalf_of_id: person.personId }])
    // Outside the consent (another framework), the champion is refused.
    const school = await insertProvider(t, { ref: '100000', name: 'Sir John Cass School', framework: 'education' })
    expect((await champion.client.get(`/choose/request/new?provider=${school}`)).statusCode).toBe(403)
  })

  it('the resident withdraws a request that has not been answered', async () => {
    const person = await signedInAs(t, PERSON)
    const id = await ask(person.client, gp)
    const withdrawn = await person.client.submitForm(`/my-choices/${id}`, {})
    expect(withdrawn.headers.location).toBe(`/my-choices/${id}?withdrawn=1`)
    const page = await person.client.get(`/my-choices/${id}?withdrawn=1`)
    expect(page.body).toContain('You have withdrawn this request.')
    const staff = await staffOf('A81001')
    expect((await staff.client.get('/provider-requests')).body).toContain('There are no requests to show.')
  })
})
