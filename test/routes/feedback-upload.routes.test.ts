import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestApp,
  errorSummaryOf,
  parseHtml,
  testDialects,
  truncateSchemas,
  type TestApp,
} from '../../src/platform/testing/index.ts'
import { modules } from '../../src/modules/registry.ts'
import { csrfOf, insertProvider, signedInAs } from '../../src/modules/accounts/test/factories.ts'

// Constructed fixtures in NHS England's published FFT layout (src/modules/feedback/test/fixtures/README.md).
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../src/modules/feedback/test/fixtures')
const GP_FILE = readFileSync(join(FIXTURES, 'fft-gp-practice.constructed.csv'))
const MALFORMED = readFileSync(join(FIXTURES, 'fft-malformed.constructed.csv'))

describe.each(testDialects())('%s', (dialect) => {
  let t: TestApp
  let densham: string
  let other: string

  beforeAll(async () => {
    t = await createTestApp(dialect, modules)
  })
  afterAll(async () => t?.close())
  beforeEach(async () => {
    await truncateSchemas(t.database, ['accounts', 'directory', 'feedback'])
    densham = await insertProvider(t, { ref: 'A81001', name: 'The Densham Surgery', framework: 'nhs-care' })
    other = await insertProvider(t, { ref: 'A81002', name: 'Queens Park Medical Centre', framework: 'nhs-care' })
  })

  let staff: Awaited<ReturnType<typeof signedInAs>> | undefined
  beforeEach(() => {
    staff = undefined
  })
  /** Staff load the upload page, as a browser would, and send the form with a file. */
  async function upload(
    serviceId: string,
    content: Buffer | string,
    fields: Record<string, string> = { mode: 'paper' },
  ) {
    staff ??= await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    const client = staff.client
    const page = await client.get(`/providers/${densham}/feedback-upload`)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const file = { field: 'file', filename: 'Paper survey.csv', content }
    return client.postMultipart(`/providers/${serviceId}/feedback-upload`, { _csrf: csrf, ...fields }, file)
  }
  const counts = async () =>
    (
      await sql<Record<string, unknown>>`
        select to_char(period, 'YYYY-MM') as month, mode, very_good from feedback.monthly_counts order by period`.execute(
        t.database.db,
      )
    ).rows
  const audited = async (action: string) =>
    (
      await sql<{ outcome: string; details: Record<string, unknown> }>`
        select outcome, details from platform.audit_log where action = ${action} and object_id = ${densham}`.execute(
        t.database.db,
      )
    ).rows

  it('provider staff upload a month-by-month counts file and see what was saved', async () => {
    const res = await upload(densham, GP_FILE)
    expect(res.statusCode).toBe(200)
    const banner = parseHtml(res.body).querySelector('[role=alert], [role=region]')
    expect(banner?.text).toContain('Counts uploaded')
    expect(res.body).toContain('Paper survey.csv: 3 months read; 3 added, 0 changed, 0 unchanged.')
    expect(await counts()).toEqual([
      { month: '2025-01', mode: 'paper', very_good: 61 },
      { month: '2025-02', mode: 'paper', very_good: 54 },
      { month: '2025-03', mode: 'paper', very_good: 70 },
    ])
    expect(await audited('feedback.counts.uploaded')).toEqual([
      { outcome: 'success', details: expect.objectContaining({ mode: 'paper', records: 3, inserted: 3 }) },
    ])
  })

  it('a malformed file imports nothing and lists every bad line in the error summary', async () => {
    const res = await upload(densham, MALFORMED, { mode: 'kiosk' })
    expect(res.statusCode).toBe(400)
    const errors = errorSummaryOf(res.body)
    expect(errors.map((e) => /^Line (\d+):/.exec(e)?.[1])).toEqual(['3', '4', '5', '6', '7', '8', '9', '10', '11'])
    expect(errors[0]).toBe('Line 3: Total Responses is 16, but the answers add up to 15')
    expect(res.body).toContain('Nothing in the file was saved')
    expect(await counts()).toEqual([])
    expect((await sql`select 1 from feedback.uploads`.execute(t.database.db)).rows).toEqual([])
    expect(await audited('feedback.counts.uploaded')).toEqual([
      { outcome: 'failure', details: expect.objectContaining({ badLines: 9 }) },
    ])
  })

  it('no file, an empty file or no collection mode gets an error summary', async () => {
    const none = await upload(densham, '', {})
    expect(none.statusCode).toBe(400)
    expect(errorSummaryOf(none.body)).toEqual(['Select how the answers were collected', 'Select a CSV file to upload'])
    const online = await upload(densham, GP_FILE, { mode: 'online' })
    expect(errorSummaryOf(online.body)).toEqual(['Select how the answers were collected'])
    const headersOnly = await upload(densham, GP_FILE.toString('utf8').split('\n')[0]!)
    expect(errorSummaryOf(headersOnly.body)).toEqual(['The file has no rows'])
    expect(await counts()).toEqual([])
  })

  it('staff of another organisation cannot upload for a provider (403, audited)', async () => {
    const { client } = await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    expect((await client.get(`/providers/${other}/feedback-upload`)).statusCode).toBe(403)
    const csrf = await csrfOf(client)
    const file = { field: 'file', filename: 'x.csv', content: GP_FILE }
    const res = await client.postMultipart(`/providers/${other}/feedback-upload`, { _csrf: csrf, mode: 'paper' }, file)
    expect(res.statusCode).toBe(403)
    expect(await counts()).toEqual([])
    const denied = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log
      where action = 'access.denied' and object_type = 'service' and object_id = ${other}`.execute(t.database.db)
    expect(denied.rows[0]!.n).toBe(2)
  })

  it('an upload without the form’s CSRF token is refused', async () => {
    const { client } = await signedInAs(t, 'sam.staff@example.org', [{ role: 'provider-staff', scope: 'A81001' }])
    const file = { field: 'file', filename: 'x.csv', content: GP_FILE }
    const res = await client.postMultipart(`/providers/${densham}/feedback-upload`, { mode: 'paper' }, file)
    expect(res.statusCode).toBe(403)
    expect(await counts()).toEqual([])
  })
})
