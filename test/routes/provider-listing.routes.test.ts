import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  testDialects,
  truncateSchemas,
  type TestApp,
} from '../../src/platform/testing/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { csrfOf, insertProvider, signedInAs } from '../../src/modules/accounts/test/factories.ts'

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let densham: string
  let other: string

  beforeAll(async () => {
    t = await createTestApp(dialect, modules)
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    await truncateSchemas(t.database, ['accounts', 'directory'])
    densham = await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    other = await insertProvider(t, { ref: 'A81002', name: 'Queens Park Medical Centre', framework: 'nhs-care' })
  })

  it("provider staff update their listing's details; the page shows them and the change is audited", async () => {
    const staff = await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    const listings = await staff.client.get('/listings')
    expect(listings.body).toContain('The Densham Surgery')
    expect(listings.body).not.toContain('Queens Park Medical Centre')

    const saved = await staff.client.submitForm(`/providers/${densham}/edit`, {
      description: 'A GP practice for <b>everyone</b> in Stockton.',
      openingTimes: 'Monday to Friday, 8am to 6.30pm',
      accessibility: 'Step-free access and a hearing loop',
      email: 'reception@example.nhs.uk',
      url: 'https://www.example.nhs.uk',
    })
    expect(saved.headers.location).toBe(`/providers/${densham}?updated=1`)
    const page = await staff.client.get(`/providers/${densham}?updated=1`)
    expect(page.body).toContain('Your listing has been updated.')
    expect(page.body).toContain('A GP practice for &lt;b&gt;everyone&lt;/b&gt; in Stockton.')
    expect(page.body).toContain('Monday to Friday, 8am to 6.30pm')
    const { rows } = await sql<{ details: { fields: string[] } }>`
      select details from platform.audit_log where action = 'provider.details.updated'`.execute(t.database.db)
    expect(rows).toEqual([
      {
        details: expect.objectContaining({ fields: ['description', 'openingTimes', 'accessibility', 'email', 'url'] }),
      },
    ])
    expect(JSON.stringify(rows)).not.toContain('Stockton') // the audit trail names fields, never their text
  })

  it('bad details get a GOV.UK error summary and change nothing', async () => {
    const staff = await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    const res = await staff.client.submitForm(`/providers/${densham}/edit`, {
      description: 'x'.repeat(2001),
      email: 'not an email',
      url: 'javascript:alert(1)',
    })
    expect(res.statusCode).toBe(400)
    expect(errorSummaryOf(res.body)).toEqual([
      'About the service must be 2,000 characters or fewer',
      'Enter an email address in the correct format, like name@example.com',
      'Enter a website address starting with https://, like https://www.example.org',
    ])
    const { rows } = await sql`select description from directory.services where id = ${densham}`.execute(t.database.db)
    expect(rows).toEqual([{ description: null }])
  })

  it("staff of one organisation cannot edit another's listing (403, audited); the regulator's fields are not editable", async () => {
    const staff = await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    expect((await staff.client.get(`/providers/${other}/edit`)).statusCode).toBe(403)
    const csrf = await csrfOf(staff.client)
    const post = await staff.client.post(`/providers/${other}/edit`, { _csrf: csrf, description: 'Hijacked' })
    expect(post.statusCode).toBe(403)
    const own = await staff.client.post(`/providers/${densham}/edit`, {
      _csrf: csrf,
      name: 'Renamed',
      status: 'defunct',
    })
    expect(own.statusCode).toBe(303)
    const { rows } = await sql`select name, status, description from directory.services order by name`.execute(
      t.database.db,
    )
    expect(rows).toEqual([
      { name: 'Queens Park Medical Centre', status: 'active', description: null },
      { name: 'The Densham Surgery', status: 'active', description: null },
    ])
    const denied = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'access.denied' and object_type = 'service' and object_id = ${other}`.execute(t.database.db)
    expect(denied.rows[0]!.n).toBe(2)
  })
})
