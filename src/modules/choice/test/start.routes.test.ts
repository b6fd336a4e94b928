import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { CHOICE_FRAMEWORKS } from '../../../platform/index.ts'
import {
  createTestApp,
  headingOf,
  parseHtml,
  TestClient,
  testDialects,
  type TestApp,
} from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'
import { insertProvider, PASSWORD, signedInAs } from '../../accounts/test/factories.ts'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(dialect, modules)
    await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    await sql`delete from choice.prompts`.execute(t.database.db)
  })

  const prompts = async () =>
    (
      await sql<{ framework: string; point: string; person_id: string | null; on_behalf_of_id: string | null }>`
        select framework, point, person_id, on_behalf_of_id from choice.prompts order by id`.execute(t.database.db)
    ).rows

  it.each(CHOICE_FRAMEWORKS)(
    'resident reads the %s start page: rights, who has them, their legal basis, the response standard and redress',
    async (framework) => {
      const res = await new TestClient(t.app).get(`/choose/${framework}`)
      expect(res.statusCode).toBe(200)
      const main = parseHtml(res.body).querySelector('main')!
      const headings = main.querySelectorAll('h2').map((h) => h.text.trim())
      expect(headings).toEqual(
        expect.arrayContaining([
          'Your right to choose',
          'Your rights',
          'How quickly a provider should answer',
          'How to find and choose a provider',
          'If you are not given a choice',
        ]),
      )
      expect(main.querySelectorAll('dt').map((d) => d.text.trim())).toContain('Who has this right')
      const links = main.querySelectorAll('a').map((a) => a.getAttribute('href') ?? '')
      expect(links.some((h) => h.startsWith('https://www.legislation.gov.uk/'))).toBe(true)
      expect(links).toContain('/account/champions')
      expect(main.text).toMatch(/Choice Charter.*within \d+ working days/)
      expect(main.text).toContain('You have a right to choose')
    },
  )

  it('GP start page: register under the GMS Regulations, answer within 5 working days, then the PHSO', async () => {
    const res = await new TestClient(t.app).get('/choose/nhs-care')
    expect(headingOf(res.body)).toBe('NHS care')
    expect(res.body).toContain('General Medical Services Contracts) Regulations 2015, Schedule 3')
    expect(res.body).toContain('within 5 working days')
    expect(res.body).toContain('Find out how to complain to the Parliamentary and Health Service Ombudsman')
    const start = parseHtml(res.body).querySelector('a[role=button]')
    expect(start?.getAttribute('href')).toBe('/choose/nhs-care/find')
  })

  it('school places: a refused place goes to an independent appeal, then the Local Government and Social Care Ombudsman', async () => {
    const res = await new TestClient(t.app).get('/choose/education')
    expect(res.body).toContain('School Admissions Code 2021')
    expect(res.body).toContain('within 15 school days')
    const steps = parseHtml(res.body)
      .querySelectorAll('main ol li')
      .map((li) => li.text)
    expect(steps.findIndex((s) => s.includes('independent appeal panel'))).toBeLessThan(
      steps.findIndex((s) => s.includes('Local Government and Social Care Ombudsman')),
    )
  })

  it('a framework with no providers listed says so instead of offering a search', async () => {
    const res = await new TestClient(t.app).get('/choose/social-housing')
    expect(res.body).toContain('No providers for this service are listed in OpenChoice yet')
    expect(res.body).toContain('Find out how to complain to the Housing Ombudsman Service')
  })

  it.each(['/choose/nope', '/choose/%3Cscript%3E', '/choose/nope/find', '/choose/nope/compare'])(
    '%s is a page that does not exist',
    async (url) => {
      const res = await new TestClient(t.app).get(url)
      expect(res.statusCode).toBe(404)
      expect(res.body).not.toContain('<script>')
    },
  )

  it('records each prompt shown: signed out, signed in, and by a champion acting for someone', async () => {
    await new TestClient(t.app).get('/choose/nhs-care')
    const resident = await signedInAs(t, 'rita.resident@example.org')
    await resident.client.get('/choose/early-education')

    // A champion asks the resident for consent, the resident grants it, and the champion acts for them.
    const champion = await signedInAs(t, 'cam.champion@example.org', [{ role: 'champion' }])
    await champion.client.submitForm('/champion/ask', {
      email: 'rita.resident@example.org',
      frameworks: 'early-education',
      actions: 'choose',
      months: '1',
    })
    const { rows } = await sql<{ id: string }>`select id from accounts.consents`.execute(t.database.db)
    await resident.client.submitForm(`/account/champions/${rows[0]!.id}`, { decision: 'grant' })
    await champion.client.submitForm('/champion', { consentId: rows[0]!.id }, '/champion/act')
    const page = await champion.client.get('/choose/early-education')
    expect(page.body).toContain('You are helping rita.resident@example.org choose')

    expect(await prompts()).toEqual([
      { framework: 'nhs-care', point: 'start', person_id: null, on_behalf_of_id: null },
      { framework: 'early-education', point: 'start', person_id: resident.personId, on_behalf_of_id: null },
      {
        framework: 'early-education',
        point: 'start',
        person_id: champion.personId,
        on_behalf_of_id: resident.personId,
      },
    ])

    // The resident's data download has the prompts they saw and the one their champion saw for them.
    const download = await resident.client.get('/account/data/download')
    const exported = JSON.parse(download.body) as { choice: { prompts: { point: string }[] } }
    expect(exported.choice.prompts).toHaveLength(2)

    // Erasure keeps the prompts for the fairness report's counts, without the person.
    await champion.client.submitForm('/account', {}, '/champion/stop')
    const erased = await champion.client.submitForm('/account/delete', { password: PASSWORD, confirm: 'yes' })
    expect(erased.statusCode).toBe(303)
    expect((await prompts()).map((p) => [p.person_id, p.on_behalf_of_id])).toEqual([
      [null, null],
      [resident.personId, null],
      [null, resident.personId],
    ])
  })
})
