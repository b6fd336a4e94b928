import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { platformModule, type AnyDb, type Database } from '../index.ts'
import { createTestDatabase, testDialects } from '../testing/index.ts'
import { computeAuditHash, GENESIS_HASH, hashIp } from './audit-hash.ts'
import { hashedFields, recordAudit, verifyAuditChain, type AuditEntry, type AuditRecord } from './audit.ts'
import type { AuditLogRow } from './audit.tables.ts'

const championId = randomUUID()
const residentId = randomUUID()
const secret = 'a-test-secret-that-is-at-least-32-characters'

function readOf(n: number): AuditEntry {
  return {
    action: 'record.read',
    outcome: 'success',
    actorId: championId,
    onBehalfOfId: residentId,
    objectType: 'care-plan',
    objectId: `plan-${n}`,
    requestId: `req-${n}`,
    ipHash: hashIp('192.0.2.10', secret),
    details: { framework: 'social-care', fields: ['needs', 'budget'] },
  }
}

async function recordMany(db: AnyDb, n: number): Promise<AuditRecord[]> {
  const out: AuditRecord[] = []
  for (let i = 0; i < n; i++) out.push(await recordAudit(db, readOf(i)))
  return out
}

/**
 * Does `work` in a transaction that is always rolled back, with the append-only triggers switched off for it, as
 * a superuser could: `set local` keeps the change to this one transaction on this one connection.
 */
async function asRogueSuperuser<T>(db: AnyDb, work: (trx: AnyDb) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute()
  try {
    await sql`set local session_replication_role = replica`.execute(trx)
    return await work(trx)
  } finally {
    await trx.rollback().execute()
  }
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  let db: AnyDb
  beforeAll(async () => {
    database = await createTestDatabase(dialect, [platformModule])
    db = database.db
  })
  afterAll(async () => database?.close())

  it('an empty audit trail verifies with nothing checked', async () => {
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 0 })
  })

  it('choice champion reads a resident’s care plans: each read is chained to the one before and verifies', async () => {
    const [first, ...rest] = await recordMany(db, 4)
    expect(first!.seq).toBe(1)
    expect(first!.prevHash).toBe(GENESIS_HASH)
    rest.forEach((r, i) => {
      const before = i === 0 ? first! : rest[i - 1]!
      expect(r.seq).toBe(before.seq + 1)
      expect(r.prevHash).toBe(before.hash)
    })
    expect(Math.abs(first!.occurredAt.getTime() - Date.now())).toBeLessThan(60_000)

    const { rows } = await sql<Record<string, unknown>>`
      select seq, actor_id, on_behalf_of_id, action, object_type, object_id, outcome, request_id, ip_hash, details,
             to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_utc
        from platform.audit_log where seq = 2`.execute(db)
    expect(rows[0]).toEqual({
      seq: 2,
      actor_id: championId,
      on_behalf_of_id: residentId,
      action: 'record.read',
      object_type: 'care-plan',
      object_id: 'plan-1',
      outcome: 'success',
      request_id: 'req-1',
      ip_hash: hashIp('192.0.2.10', secret),
      details: { framework: 'social-care', fields: ['needs', 'budget'] },
      occurred_utc: rest[0]!.occurredAt.toISOString(),
    })
    for (const batchSize of [1, 2, 3, 5000])
      expect(await verifyAuditChain(db, { batchSize })).toEqual({ ok: true, checked: 4 })
  })

  it('a failed sign-in by an anonymous visitor is recorded with no actor and verifies', async () => {
    const r = await recordAudit(db, {
      action: 'auth.sign-in.failed',
      outcome: 'failure',
      details: { reason: 'bad-password' },
    })
    expect(r).toMatchObject({
      actorId: null,
      onBehalfOfId: null,
      objectType: null,
      ipHash: null,
      details: { reason: 'bad-password' },
    })
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  it('an entry recorded in a transaction that rolls back leaves no gap in the sequence', async () => {
    const before = await recordAudit(db, readOf(100))
    const trx = await db.startTransaction().execute()
    await recordAudit(trx, { action: 'access.denied', outcome: 'denied', actorId: championId })
    await trx.rollback().execute()
    const after = await recordAudit(db, readOf(101))
    expect(after.seq).toBe(before.seq + 1)
    expect(after.prevHash).toBe(before.hash)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  it('an entry recorded in the caller’s transaction commits with the work it describes', async () => {
    const r = await db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx) // the caller's own work
      return recordAudit(trx, readOf(200))
    })
    const { rows } = await sql<{ hash: string }>`select hash from platform.audit_log where seq = ${r.seq}`.execute(db)
    expect(rows[0]!.hash).toBe(r.hash)
  })

  it.each([
    ['UPDATE', `update platform.audit_log set action = 'record.read' where seq = 1`],
    ['UPDATE', `update platform.audit_log set action = 'record.read' where false`],
    ['DELETE', `delete from platform.audit_log where seq = 1`],
    ['DELETE', `delete from platform.audit_log`],
    ['TRUNCATE', `truncate platform.audit_log`],
  ])('the database itself refuses %s on the audit trail: %s', async (op, statement) => {
    await expect(sql.raw(statement).execute(db)).rejects.toThrow(
      `platform.audit_log is append-only: ${op} is not allowed`,
    )
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from platform.audit_log`.execute(db)
    expect(rows[0]!.n).toBeGreaterThan(5)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
  })

  describe('tampering by someone who can switch the triggers off', () => {
    let head: number
    beforeAll(async () => {
      const recorded = await recordMany(db, 6)
      head = recorded.at(-1)!.seq
    })
    const target = () => head - 3

    it('the triggers really are off for the rogue superuser, and only inside their transaction', async () => {
      await asRogueSuperuser(db, async (trx) => {
        await sql`update platform.audit_log set request_id = 'x' where seq = ${target()}`.execute(trx)
      })
      expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: head })
    })

    it('auditor finds the exact entry whose action was changed: hash mismatch', async () => {
      const result = await asRogueSuperuser(db, async (trx) => {
        await sql`update platform.audit_log set action = 'auth.sign-in.succeeded' where seq = ${target()}`.execute(trx)
        return verifyAuditChain(trx, { batchSize: 2 })
      })
      expect(result).toEqual({ ok: false, checked: target(), firstBroken: { seq: target(), reason: 'hash mismatch' } })
    })

    it('auditor finds an entry rewritten with a freshly computed hash: the next entry’s link is broken', async () => {
      const result = await asRogueSuperuser(db, async (trx) => {
        const { rows } = await sql<AuditLogRow>`select * from platform.audit_log where seq = ${target()}`.execute(trx)
        const row = rows[0]!
        const forged = computeAuditHash(row.prev_hash, hashedFields({ ...row, action: 'auth.sign-in.succeeded' }))
        await sql`update platform.audit_log set action = 'auth.sign-in.succeeded', hash = ${forged}
                   where seq = ${target()}`.execute(trx)
        return verifyAuditChain(trx)
      })
      expect(result).toEqual({
        ok: false,
        checked: target() + 1,
        firstBroken: { seq: target() + 1, reason: 'broken link' },
      })
    })

    it('auditor finds an entry whose link was edited: broken link', async () => {
      const result = await asRogueSuperuser(db, async (trx) => {
        await sql`update platform.audit_log set prev_hash = ${GENESIS_HASH} where seq = ${target()}`.execute(trx)
        return verifyAuditChain(trx)
      })
      expect(result).toEqual({ ok: false, checked: target(), firstBroken: { seq: target(), reason: 'broken link' } })
    })

    it('auditor finds a deleted middle entry: gap in sequence at the missing seq', async () => {
      const result = await asRogueSuperuser(db, async (trx) => {
        await sql`delete from platform.audit_log where seq = ${target()}`.execute(trx)
        return verifyAuditChain(trx, { batchSize: 3 })
      })
      expect(result).toEqual({
        ok: false,
        checked: target(),
        firstBroken: { seq: target(), reason: 'gap in sequence' },
      })
    })

    it('auditor finds the first entry deleted', async () => {
      const result = await asRogueSuperuser(db, async (trx) => {
        await sql`delete from platform.audit_log where seq = 1`.execute(trx)
        return verifyAuditChain(trx)
      })
      expect(result).toEqual({ ok: false, checked: 1, firstBroken: { seq: 1, reason: 'gap in sequence' } })
    })

    it('after every rolled-back tampering the real trail is still intact', async () => {
      expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: head })
    })
  })

  it('twenty requests recording at once still give one unbroken chain', async () => {
    const before = await verifyAuditChain(db)
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(db, readOf(300 + i))))
    const seqs = records.map((r) => r.seq).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before.checked + 1 + i))
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: before.checked + 20 })
  })
})
