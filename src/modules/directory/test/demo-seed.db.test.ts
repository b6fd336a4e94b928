import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createLogger, type Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { createDemoProvidersSeed, DEMO_FILES } from '../seeds/demo-seed.ts'
import { countProvidersByFramework, findProviderById, listProviders } from '../index.ts'
import { fileURLToPath } from 'node:url'
import { useDirectoryDatabase, countRows } from './factories.ts'

const log = createLogger('silent')
const seed = createDemoProvidersSeed()

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useDirectoryDatabase(dialect, (opened) => (database = opened))

  it('administrator loads the demo providers from the real open data files', async () => {
    expect(await seed.isDone(database.db)).toBe(false)
    const { rows } = await seed.run(database.db, log)
    expect(rows).toBeGreaterThan(8000)
    expect(await seed.isDone(database.db)).toBe(true)
    const counts = await countProvidersByFramework(database.db)
    expect(counts['nhs-care']).toBeGreaterThan(3000)
    expect(counts['early-education']).toBe(1367)
    expect(counts['education']).toBeGreaterThan(50)
    expect(counts['social-care']).toBeUndefined()
  })

  it('loading the same files again changes nothing, not even row versions', async () => {
    await seed.run(database.db, log)
    const versions = () =>
      sql`select s.id, s.xmin::text as service, r.xmin::text as registration, l.xmin::text as location
        from directory.services s join directory.registrations r on r.service_id = s.id
        join directory.service_at_locations sal on sal.service_id = s.id join directory.locations l on l.id = sal.location_id
        order by s.id`.execute(database.db)
    const counts = () =>
      sql`select (select count(*)::int from directory.service_changes) as changes,
        (select count(*)::int from directory.import_runs) as runs`.execute(database.db)
    const before = await versions()
    const beforeCounts = await counts()
    await seed.run(database.db, log)
    expect((await versions()).rows).toEqual(before.rows)
    expect((await counts()).rows).toEqual(beforeCounts.rows) // no new history, not even a record of the run
  })

  it('places providers at their postcode district, marked approximate', async () => {
    await seed.run(database.db, log)
    const page = await listProviders(database.db, { framework: 'nhs-care', name: 'densham', page: 1, pageSize: 5 })
    expect(page.total).toBe(1)
    const p = await findProviderById(database.db, page.providers[0]!.id)
    expect(p?.postcode).toBe('TS18 1HU')
    expect(p?.location?.precision).toBe('outcode')
    expect(p?.location?.latitude).toBeCloseTo(54.56, 1)
  })

  it('a file that breaks part way through imports nothing, and the seed is not done until every file is in', async () => {
    const broken = fileURLToPath(new URL('./fixtures/ofsted-broken-row.csv', import.meta.url))
    const failing = createDemoProvidersSeed({ ...DEMO_FILES, ofsted: broken })
    await expect(failing.run(database.db, log)).rejects.toThrow(/not imported/)
    const gps = await countRows(database, 'directory.services')
    expect(gps).toBeGreaterThan(3000) // the GP file before it is whole
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from directory.services where source = 'ofsted-childcare'`.execute(database.db)
    expect(rows[0]!.n).toBe(0)
    expect(await failing.isDone(database.db)).toBe(false)
    await seed.run(database.db, log) // the next start finishes the job
    expect(await seed.isDone(database.db)).toBe(true)
  })

  it('finds nothing for a malformed id, and searches names literally (no wildcards from the user)', async () => {
    await seed.run(database.db, log)
    expect(await findProviderById(database.db, "1' or '1'='1")).toBeUndefined()
    expect((await listProviders(database.db, { name: '%', page: 1, pageSize: 5 })).total).toBe(0)
  })
})
