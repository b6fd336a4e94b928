import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { NotFoundError, type Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { uploadMonthlyCounts, type MonthlyCountsUpload } from '../uploads.service.ts'
import { importPractices, useFeedbackDatabase } from './factories.ts'

// Constructed fixtures in NHS England's published FFT layout (fixtures/README.md): no real rows are available here.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const GP_FILE = join(FIXTURES, 'fft-gp-practice.constructed.csv')
const ORG_FILE = join(FIXTURES, 'fft-org.constructed.csv')
const MALFORMED = join(FIXTURES, 'fft-malformed.constructed.csv')
const NOW = new Date('2026-11-23T12:00:00Z')
const STAFF = randomUUID()

const dir = mkdtempSync(join(tmpdir(), 'openchoice-fft-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  let practice: Record<string, string>
  useFeedbackDatabase(dialect, (opened) => (database = opened))
  beforeEach(async () => {
    practice = await importPractices(database, ['A81001', 'A81002'])
  })

  const upload = (path: string, over: Partial<MonthlyCountsUpload> = {}) =>
    uploadMonthlyCounts(
      database.db,
      { serviceId: practice.A81001!, mode: 'paper', uploadedBy: STAFF, path, ...over },
      NOW,
    )

  const storedCounts = async () =>
    (
      await sql<Record<string, unknown>>`
        select to_char(period, 'YYYY-MM') as month, mode, very_good, good, neither, poor, very_poor, dont_know, upload_id
          from feedback.monthly_counts order by period, mode`.execute(database.db)
    ).rows
  const uploads = async () =>
    (await sql<Record<string, unknown>>`select * from feedback.uploads order by uploaded_at`.execute(database.db)).rows

  it("provider staff upload a GP practice's monthly counts (Practice Code, BOM, CRLF)", async () => {
    const result = await upload(GP_FILE, { fileName: 'January to March.csv' })
    expect(result).toEqual({ ok: true, records: 3, inserted: 3, updated: 0, unchanged: 0 })
    const [stored] = await uploads()
    expect(stored).toMatchObject({
      service_id: practice.A81001,
      mode: 'paper',
      uploaded_by: STAFF,
      uploaded_at: NOW,
      file_name: 'January to March.csv',
      file_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(await storedCounts()).toEqual([
      {
        month: '2025-01',
        mode: 'paper',
        very_good: 61,
        good: 22,
        neither: 5,
        poor: 3,
        very_poor: 2,
        dont_know: 1,
        upload_id: stored!.id,
      },
      {
        month: '2025-02',
        mode: 'paper',
        very_good: 54,
        good: 19,
        neither: 4,
        poor: 2,
        very_poor: 1,
        dont_know: 0,
        upload_id: stored!.id,
      },
      {
        month: '2025-03',
        mode: 'paper',
        very_good: 70,
        good: 25,
        neither: 6,
        poor: 1,
        very_poor: 3,
        dont_know: 2,
        upload_id: stored!.id,
      },
    ])
  })

  it('an Org code file in Windows-1252 with `*` in its derived columns is read too', async () => {
    const result = await upload(ORG_FILE, { serviceId: practice.A81002!, mode: 'kiosk' })
    expect(result).toMatchObject({ ok: true, inserted: 2 })
    expect((await storedCounts()).map((r) => [r.month, r.mode, r.very_good])).toEqual([
      ['2024-04', 'kiosk', 12],
      ['2024-05', 'kiosk', 3],
    ])
  })

  it('a malformed upload stores nothing and says what is wrong on each line', async () => {
    const result = await upload(MALFORMED)
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, reason: 'Total Responses is 16, but the answers add up to 15' },
        { line: 4, reason: '"1 Very Good" must be a whole number, 0 or more (it is "12.5")' },
        { line: 5, reason: '"1 Very Good" is suppressed (*): upload the exact count' },
        { line: 6, reason: '"2024_25 Smarch" is not a month (a year like 2024_25 and a month name)' },
        { line: 7, reason: 'Practice Code "A81002" is not this provider\'s (A81001)' },
        { line: 8, reason: '2024-04 appears more than once in the file' },
        { line: 9, reason: '"4 Poor" must be a whole number, 0 or more (it is "-1")' },
        { line: 10, reason: '2030-04 has not begun yet' },
        { line: 11, reason: 'the row has 11 columns, but the file has 15' },
      ],
    })
    expect(await storedCounts()).toEqual([])
    expect(await uploads()).toEqual([])
  })

  it('a malformed upload leaves the counts of an earlier upload as they were', async () => {
    await upload(GP_FILE)
    const before = await storedCounts()
    // The same file with March's total one out: nothing of it is stored, not even its good rows.
    const broken = join(dir, 'broken.csv')
    writeFileSync(broken, readFileSync(GP_FILE, 'utf8').replace(',107,1322,', ',108,1322,'))
    expect(await upload(broken)).toEqual({
      ok: false,
      errors: [{ line: 4, reason: 'Total Responses is 108, but the answers add up to 107' }],
    })
    expect(await storedCounts()).toEqual(before)
    expect(await uploads()).toHaveLength(1)
  })

  it('uploading again replaces the months that changed and keeps the others; each mode has its own counts', async () => {
    await upload(GP_FILE)
    const corrected = join(dir, 'corrected.csv')
    writeFileSync(corrected, readFileSync(GP_FILE, 'utf8').replace(',54,19,4,2,1,0,80,', ',55,19,4,2,1,0,81,'))
    expect(await upload(corrected)).toEqual({ ok: true, records: 3, inserted: 0, updated: 1, unchanged: 2 })
    const [first, second] = await uploads()
    const rows = await storedCounts()
    expect(rows.map((r) => [r.month, r.very_good, r.upload_id])).toEqual([
      ['2025-01', 61, first!.id],
      ['2025-02', 55, second!.id],
      ['2025-03', 70, first!.id],
    ])
    expect(await upload(GP_FILE, { mode: 'kiosk' })).toMatchObject({ ok: true, inserted: 3 })
    expect(await storedCounts()).toHaveLength(6)
  })

  it('a file without the counts columns is refused at its header; an unknown provider is not found', async () => {
    const headless = join(dir, 'no-counts.csv')
    writeFileSync(headless, 'Yearnumber,Periodname,Practice Code,Total Responses\n2024_25,April,A81001,3\n')
    expect(await upload(headless)).toMatchObject({
      ok: false,
      errors: [{ line: 1, reason: expect.stringContaining('"1 Very Good"') }],
    })
    const copy = join(dir, 'copy.csv')
    copyFileSync(GP_FILE, copy)
    await expect(upload(copy, { serviceId: randomUUID() })).rejects.toThrow(NotFoundError)
  })
})
