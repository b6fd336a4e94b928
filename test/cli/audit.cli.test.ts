import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { runOpenchoice } from './support.ts'
import { openDatabase, recordAudit, type Database } from '../../src/platform/index.ts'
import { buildCli } from '../../src/cli/openchoice.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'openchoice-audit-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function openchoice(...args: string[]) {
  return runOpenchoice(dataDir, args, {})
}

/** Opens the same data directory in this process; PGlite allows one process at a time, so only between runs. */
async function withPglite(work: (database: Database) => Promise<void>): Promise<void> {
  const database = await openDatabase({ kind: 'pglite', dataDir })
  try {
    await work(database)
  } finally {
    await database.close()
  }
}

describe('openchoice audit verify', () => {
  it('has help that says what it checks and what its exit codes mean', () => {
    const audit = buildCli().commands.find((c) => c.name() === 'audit')!
    const verify = audit.commands.find((c) => c.name() === 'verify')!
    expect(audit.description()).toMatch(/audit trail/)
    expect(verify.helpInformation()).toContain('Usage: openchoice audit verify')
    expect(verify.helpInformation()).toMatch(/--json/)
    expect(verify.description()).toMatch(/Exits 0 when intact, 1 when broken/)
  })

  it('operator verifies the audit trail, which finds the entry a rogue superuser changed', async () => {
    const unmigrated = await openchoice('audit', 'verify')
    expect(unmigrated.stderr).toContain('run `openchoice migrate` first')
    expect(unmigrated.code).toBe(2)

    expect((await openchoice('migrate')).code).toBe(0)
    const empty = await openchoice('audit', 'verify')
    expect(empty.stdout).toContain('Audit trail intact: 0 entries checked.')
    expect(empty.code).toBe(0)

    await withPglite(async ({ db }) => {
      await recordAudit(db, { action: 'auth.sign-in.succeeded', outcome: 'success', actorId: crypto.randomUUID() })
      await recordAudit(db, { action: 'access.denied', outcome: 'denied', objectType: 'care-plan', objectId: '17' })
      await recordAudit(db, { action: 'auth.sign-out.succeeded', outcome: 'success' })
    })
    const intact = await openchoice('audit', 'verify')
    expect(intact.stdout).toContain('Audit trail intact: 3 entries checked.')
    expect(intact.code).toBe(0)
    const intactJson = await openchoice('audit', 'verify', '--json')
    expect(JSON.parse(intactJson.stdout)).toEqual({ ok: true, checked: 3 })
    expect(intactJson.code).toBe(0)

    // The denial at entry 2 is turned into a success, with the append-only triggers off for that one transaction.
    await withPglite(async ({ db }) => {
      await db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx)
        await sql`update platform.audit_log set action = 'record.read', outcome = 'success' where seq = 2`.execute(trx)
      })
    })
    const broken = await openchoice('audit', 'verify')
    expect(broken.stdout).toContain('Audit trail BROKEN at entry 2: hash mismatch (2 entries checked).')
    expect(broken.code).toBe(1)
    const brokenJson = await openchoice('audit', 'verify', '--json')
    expect(JSON.parse(brokenJson.stdout)).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 2, reason: 'hash mismatch' },
    })
    expect(brokenJson.code).toBe(1)
  }, 180_000) // eight runs of the CLI, each starting PGlite
})
