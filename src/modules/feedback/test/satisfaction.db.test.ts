import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { satisfactionFor } from '../index.ts'
import { recordResponse } from '../responses.service.ts'
import type { FftAnswer } from '../statistics.ts'
import { uploadMonthlyCounts } from '../uploads.service.ts'
import { importPractices, useFeedbackDatabase } from './factories.ts'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const SECRET = 'a-test-secret-that-is-long-enough-for-hmac'
// The rolling year before May 2025: May 2024 to April 2025.
const NOW = new Date('2025-05-10T12:00:00Z')

const dir = mkdtempSync(join(tmpdir(), 'openchoice-satisfaction-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  let practice: Record<string, string>
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  const answer = (serviceId: string, a: FftAnswer, at: string) =>
    recordResponse(database.db, SECRET, {
      serviceId,
      respondent: `person:${randomUUID()}`,
      answer: a,
      mode: 'online',
      at: new Date(at),
    })
  const upload = (serviceId: string, file: string, mode: 'paper' | 'kiosk') =>
    uploadMonthlyCounts(database.db, { serviceId, mode, uploadedBy: randomUUID(), path: join(FIXTURES, file) }, NOW)

  beforeEach(async () => {
    practice = await importPractices(database, ['A81001', 'A81002', 'A81004'])
    // A81001: paper counts for January to March 2025 (94 + 80 + 107 = 281), and 4 online answers in April.
    await upload(practice.A81001!, 'fft-gp-practice.constructed.csv', 'paper')
    for (const a of ['very-good', 'very-good', 'very-good', 'poor'] as const)
      await answer(practice.A81001!, a, '2025-04-15T10:00:00Z')
    await answer(practice.A81001!, 'very-poor', '2025-05-02T10:00:00Z') // this month: not yet in the figures
    // A81002: kiosk counts for April 2024 (18, before the year) and May 2024 (7): 7 responses, too few.
    await upload(practice.A81002!, 'fft-org.constructed.csv', 'kiosk')
  })

  it('a resident comparing GP practices sees the disclosed rolling-year figures of each', async () => {
    const ids = [practice.A81001!.toUpperCase(), practice.A81002!, practice.A81004!, randomUUID(), 'not-an-id']
    const figures = await satisfactionFor(database.db, ids, NOW)
    expect([...figures.keys()]).toEqual(ids)
    // Very good 61 + 54 + 70 + 3 = 188, Good 22 + 19 + 25 = 66: positive 254, rounded to 255.
    // Poor 3 + 2 + 1 + 1 = 7, Very poor 2 + 1 + 3 = 6: negative 13, rounded to 15.
    // Neither 15 and Don't know 3: total 285 (stays 285).
    // 255/285 = 89.5%: centre = (0.894737 + 0.006739)/1.013479 = 0.889487, half = 1.933897 × √(0.000330 + 0.000012)
    //   = 0.035779 → [0.853708, 0.925266]
    // 15/285 = 5.3%: centre = (0.052632 + 0.006739)/1.013479 = 0.058581, half = 0.026430 → [0.032152, 0.085011]
    expect(figures.get(ids[0]!)).toEqual({
      responses: 285,
      positive: { percent: 89.5, low: 85.4, high: 92.5 },
      negative: { percent: 5.3, low: 3.2, high: 8.5 },
      modes: ['online', 'paper'],
      period: { from: '2024-05', to: '2025-04' },
    })
    expect(figures.get(practice.A81002!)).toBeNull() // 7 responses in the year
    expect(figures.get(practice.A81004!)).toBeNull() // none
    expect(figures.get(ids[3]!)).toBeNull()
    expect(figures.get('not-an-id')).toBeNull()
  })

  it('a suppressed count has no percentage, and a month of nothing but zeros names no mode', async () => {
    const file = join(dir, 'kiosk.csv')
    const header =
      'Yearnumber,Periodname,Practice Code,Parent org code,Title,1 Very Good,2 Good,3 Neither good nor poor,4 Poor,5 Very poor,6 Dont Know,Total Responses,Total Eligible,Prop_Pos,Prop_Neg'
    writeFileSync(file, `${header}\n2024_25,June,A81004,QHM,ACKLAM MEDICAL CENTRE,0,0,0,0,0,0,0,120,*,*\n`)
    const uploaded = await uploadMonthlyCounts(
      database.db,
      { serviceId: practice.A81004!, mode: 'kiosk', uploadedBy: randomUUID(), path: file },
      NOW,
    )
    expect(uploaded).toMatchObject({ ok: true, inserted: 1 })
    for (const a of ['very-good', 'good', 'good', 'good', 'good', 'good', 'good', 'good', 'good', 'very-poor'] as const)
      await answer(practice.A81004!, a, '2025-03-01T10:00:00Z')
    // 10 responses: positive 9 → 10 of 10 = 100% [72.2, 100]; negative 1 → suppressed.
    expect((await satisfactionFor(database.db, [practice.A81004!], NOW)).get(practice.A81004!)).toEqual({
      responses: 10,
      positive: { percent: 100, low: 72.2, high: 100 },
      negative: null,
      modes: ['online'],
      period: { from: '2024-05', to: '2025-04' },
    })
  })

  it('asks the database nothing for no services', async () => {
    expect(await satisfactionFor(database.db, [], NOW)).toEqual(new Map())
  })
})
