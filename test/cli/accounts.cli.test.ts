import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { runOpenchoice } from './support.ts'
import { openDatabase } from '../../src/platform/index.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'openchoice-accounts-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function openchoice(...args: string[]) {
  return runOpenchoice(dataDir, args, { LOG_LEVEL: 'error' })
}

describe('openchoice accounts grant-role', () => {
  it('operator makes the first administrator; unknown roles, people and scopes are refused', async () => {
    expect((await openchoice('migrate')).code).toBe(0)
    const database = await openDatabase({ kind: 'pglite', dataDir })
    await sql`insert into accounts.people (email, email_normalised, password_hash)
      values ('Ada@Example.org', 'ada@example.org', 'x')`.execute(database.db)
    await database.close()

    const badRole = await openchoice('accounts', 'grant-role', '--email', 'ada@example.org', '--role', 'superuser')
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toContain('unknown role "superuser"')
    const nobody = await openchoice('accounts', 'grant-role', '--email', 'nobody@example.org', '--role', 'admin')
    expect(nobody.code).toBe(1)
    expect(nobody.stderr).toContain('no-person')
    const noScope = await openchoice('accounts', 'grant-role', '--email', 'ada@example.org', '--role', 'regulator')
    expect(noScope.stderr).toContain('scope-required')

    const ok = await openchoice('accounts', 'grant-role', '--email', 'ADA@example.org', '--role', 'admin')
    expect(ok.stdout).toContain('Granted the admin role.')
    expect(ok.code).toBe(0)
    const scoped = await openchoice(
      'accounts',
      'grant-role',
      '--email',
      'ada@example.org',
      '--role',
      'regulator',
      '--scope',
      'cqc',
    )
    expect(scoped.code).toBe(0)

    const check = await openDatabase({ kind: 'pglite', dataDir })
    const { rows } = await sql<{ role: string; scope_id: string | null }>`
      select role, scope_id from accounts.role_grants order by role`.execute(check.db)
    const audit = await sql<{ n: number }>`
      select count(*)::int as n from platform.audit_log where action = 'role.granted' and actor_id is null`.execute(
      check.db,
    )
    await check.close()
    expect(rows).toEqual([
      { role: 'admin', scope_id: null },
      { role: 'regulator', scope_id: 'cqc' },
    ])
    expect(audit.rows[0]!.n).toBe(2)
  })
})
