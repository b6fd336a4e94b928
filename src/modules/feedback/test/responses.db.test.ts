import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { recordResponse, type NewResponse } from '../responses.service.ts'
import { useFeedbackDatabase } from './factories.ts'

const SECRET = 'a-test-secret-that-is-long-enough-for-hmac'

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  const response = (over: Partial<NewResponse> = {}): NewResponse => ({
    serviceId: SERVICE,
    respondent: 'person:11111111-1111-4111-8111-111111111111',
    answer: 'good',
    mode: 'online',
    at: new Date('2026-06-10T09:00:00Z'),
    ...over,
  })
  const SERVICE = randomUUID()

  it('a resident answers once per provider per month', async () => {
    expect(await recordResponse(database.db, SECRET, response())).toEqual({ ok: true })
    const again = response({ answer: 'poor', at: new Date('2026-06-30T22:59:00Z') }) // 23:59 BST, still June
    expect(await recordResponse(database.db, SECRET, again)).toEqual({ ok: false, reason: 'already-answered' })
    expect(await recordResponse(database.db, SECRET, response({ at: new Date('2026-06-30T23:00:00Z') }))).toEqual({
      ok: true, // midnight BST: July
    })
    expect(await recordResponse(database.db, SECRET, response({ serviceId: randomUUID() }))).toEqual({ ok: true })
    expect(await recordResponse(database.db, SECRET, response({ respondent: 'token:abc' }))).toEqual({ ok: true })
  })

  it('stores no one’s identity, and holds a comment back for moderation', async () => {
    await recordResponse(database.db, SECRET, response({ comment: '  Kind staff.  ' }))
    await recordResponse(database.db, SECRET, response({ respondent: 'token:xyz', comment: '   ' }))
    const { rows } = await sql<Record<string, unknown>>`
      select * from feedback.responses order by comment nulls last`.execute(database.db)
    expect(rows).toMatchObject([
      { period: expect.any(Date), answer: 'good', mode: 'online', comment: 'Kind staff.', comment_state: 'pending' },
      { comment: null, comment_state: null },
    ])
    expect(JSON.stringify(rows)).not.toMatch(/11111111|xyz/)
  })

  it('the database refuses a period that is not a whole month and a negative count', async () => {
    await expect(
      sql`insert into feedback.responses (service_id, period, answer, mode, once_key, submitted_at)
          values (${SERVICE}, '2026-06-02', 'good', 'online', 'k', now())`.execute(database.db),
    ).rejects.toThrow()
    const upload = randomUUID()
    await sql`insert into feedback.uploads (id, service_id, mode, uploaded_by, uploaded_at, file_name, file_sha256)
              values (${upload}, ${SERVICE}, 'paper', ${randomUUID()}, now(), 'f.csv', 'x')`.execute(database.db)
    await expect(
      sql`insert into feedback.monthly_counts
            (service_id, period, mode, very_good, good, neither, poor, very_poor, dont_know, upload_id)
          values (${SERVICE}, '2026-06-01', 'paper', 1, 1, 1, -1, 0, 0, ${upload})`.execute(database.db),
    ).rejects.toThrow()
  })
})
