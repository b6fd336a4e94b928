import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { modules } from '../../src/modules/registry.ts'
import { runOpenchoice } from './support.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'openchoice-jobs-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const scheduledJobs = modules.flatMap((m) => m.scheduledJobs ?? [])

describe('openchoice jobs run', () => {
  beforeAll(async () => {
    expect((await runOpenchoice(dataDir, ['migrate'])).code).toBe(0)
  }, 120_000)

  it("operator runs the jobs once: every module's scheduled jobs run, and not again before their interval", async () => {
    const first = await runOpenchoice(dataDir, ['jobs', 'run', '--json'])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1)!)).toEqual({
      delivered: expect.any(Number),
      failed: 0,
      scheduled: scheduledJobs.length,
    })

    const again = await runOpenchoice(dataDir, ['jobs', 'run'])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Ran 0 scheduled jobs and delivered 0 events; 0 failed\.$/m)
  })

  it('says so, and exits 2, when the database is not migrated', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'openchoice-jobs-cli-empty-'))
    try {
      const run = await runOpenchoice(empty, ['jobs', 'run'])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('run `openchoice migrate` first')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
