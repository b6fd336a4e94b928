import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import type { Database } from '../../../platform/index.ts'
import { createTestDatabase, testDialects, truncateSchemas } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'
import { insertRequest, updateRequestStatus } from '../requests.queries.ts'
import { responseStandardMetFor } from '../provider-figures.ts'
import type { RequestStatus } from '../tables.ts'

const NOW = new Date('2026-11-23T12:00:00Z')
const DAY = 24 * 3600_000

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase(dialect, modules)
  })
  afterAll(async () => database?.close())
  beforeEach(async () => truncateSchemas(database, ['choice']))

  /** `n` requests to a service made `daysAgo` days ago, due 5 days later, in `status`, answered `answeredAfter` days after. */
  async function requests(
    service: string,
    n: number,
    status: RequestStatus,
    answeredAfter: number | null,
    daysAgo = 30,
  ) {
    for (let i = 0; i < n; i++) {
      const madeAt = new Date(NOW.getTime() - daysAgo * DAY)
      const row = await insertRequest(database.db, {
        person_id: randomUUID(),
        made_by: null,
        service_id: service,
        organisation_id: randomUUID(),
        framework: 'nhs-care',
        kind: 'register-gp',
        message: null,
        status,
        made_at: madeAt,
        due_at: new Date(madeAt.getTime() + 5 * DAY),
        submission_key: randomUUID(),
      })
      if (answeredAfter !== null) {
        await updateRequestStatus(database.db, row!.id, {
          status,
          answered_at: new Date(madeAt.getTime() + answeredAfter * DAY),
        })
      }
    }
  }

  it('meets the standard with 95% of decided requests answered in time, over at least 10; otherwise no figure', async () => {
    const [good, late, few, old] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
    await requests(good, 19, 'accepted', 1)
    await requests(good, 1, 'declined', 7) // 19 of 20 in time: 95%
    await requests(good, 3, 'sent', null) // still open: not decided
    await requests(good, 2, 'withdrawn', null) // withdrawn: not counted
    await requests(late, 8, 'accepted', 2)
    await requests(late, 2, 'not-answered', null) // 8 of 10: 80%
    await requests(few, 9, 'accepted', 1) // too few to say
    await requests(old, 12, 'accepted', 1, 400) // more than a year ago
    const met = await responseStandardMetFor(database.db, [good, late, few, old], NOW)
    expect(Object.fromEntries(met)).toEqual({ [good]: true, [late]: false })
  })
})
