import { sql, type Kysely } from 'kysely'
import type { AuditLogRow, AuditTables } from './audit.tables.ts'

/**
 * The advisory lock that serialises writers of the audit trail: one fixed key, 'audit' in ASCII. Transaction-scoped,
 * so it is released by the caller's COMMIT or ROLLBACK and a crashed writer never leaves it held.
 */
export const AUDIT_LOCK_KEY = 0x6175646974

/** Waits until no other transaction is appending to the audit trail; must run inside a transaction. */
export async function lockAuditChain(trx: Kysely<AuditTables>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)}::bigint)`.execute(trx)
}

/**
 * The newest entry's seq and hash (undefined when the trail is empty), and the database clock truncated to the
 * millisecond a JS Date can hold. One clock for every web process keeps occurred_at in step with seq.
 */
export async function findAuditHead(
  trx: Kysely<AuditTables>,
): Promise<{ now: Date; last: Pick<AuditLogRow, 'seq' | 'hash'> | undefined }> {
  const { rows } = await sql<{ now: Date; seq: number | null; hash: string | null }>`
    select date_trunc('milliseconds', clock_timestamp()) as now, last.seq, last.hash
      from (select 1) as one
      left join lateral (select seq, hash from platform.audit_log order by seq desc limit 1) as last on true`.execute(
    trx,
  )
  const row = rows[0]!
  return { now: row.now, last: row.seq === null ? undefined : { seq: row.seq, hash: row.hash! } }
}

export async function insertAuditRow(trx: Kysely<AuditTables>, row: AuditLogRow): Promise<void> {
  await trx
    .insertInto('platform.audit_log')
    .values({ ...row, details: JSON.stringify(row.details) as unknown as AuditLogRow['details'] })
    .execute()
}

/** Up to `limit` entries after `afterSeq`, oldest first: keyset pagination on the primary key. */
export async function listAuditRowsAfter(
  db: Kysely<AuditTables>,
  afterSeq: number,
  limit: number,
): Promise<AuditLogRow[]> {
  return db
    .selectFrom('platform.audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
}

/** False until the migration that creates the audit trail has run. */
export async function auditLogExists(db: Kysely<AuditTables>): Promise<boolean> {
  const { rows } = await sql<{ exists: boolean }>`
    select to_regclass('platform.audit_log') is not null as exists`.execute(db)
  return rows[0]!.exists
}

/** The newest entries that name a person as the one acted for (or, with `asActor`, as the actor), newest first. */
export async function listAuditRowsAbout(
  db: Kysely<AuditTables>,
  personId: string,
  opts: { asActor: boolean; limit: number },
): Promise<AuditLogRow[]> {
  return db
    .selectFrom('platform.audit_log')
    .selectAll()
    .where(opts.asActor ? 'actor_id' : 'on_behalf_of_id', '=', personId)
    .orderBy('seq', 'desc')
    .limit(opts.limit)
    .execute()
}
