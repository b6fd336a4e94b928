import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Config } from '../config.ts'
import { moduleDb, type AnyDb } from '../db.ts'
import { computeAuditHash, GENESIS_HASH, hashIp, type AuditHashedFields } from './audit-hash.ts'
import {
  auditLogExists,
  findAuditHead,
  insertAuditRow,
  listAuditRowsAbout,
  listAuditRowsAfter,
  lockAuditChain,
} from './audit.queries.ts'
import type { AuditLogRow, AuditTables } from './audit.tables.ts'

export type AuditOutcome = 'success' | 'failure' | 'denied'

/** A value in an entry's details: ids, codes, counts and flags only, never names, emails or free text. */
export type AuditDetailValue = string | number | boolean | null | readonly (string | number)[]

/**
 * One thing to record. People appear only as ids, so erasing a person's data never means rewriting this trail:
 * once their account row is gone (or pseudonymised), the ids here no longer lead to anyone.
 */
export interface AuditEntry {
  /** Dotted verb: `auth.sign-in.succeeded`, `auth.sign-in.failed`, `access.denied`, `record.read`. */
  action: string
  outcome: AuditOutcome
  /** Who acted; null for an anonymous visitor or the system itself. */
  actorId?: string | null
  /** For whom, e.g. the person a choice champion acts for. */
  onBehalfOfId?: string | null
  objectType?: string | null
  objectId?: string | null
  /** From `auditContextFromRequest`. */
  requestId?: string | null
  ipHash?: string | null
  details?: Readonly<Record<string, AuditDetailValue>>
}

/** An entry as stored, with its place in the chain. */
export interface AuditRecord extends Required<Omit<AuditEntry, 'details'>> {
  seq: number
  occurredAt: Date
  details: Record<string, AuditDetailValue>
  prevHash: string
  hash: string
}

const nullableId = z.guid().nullable().default(null)
const nullableText = (max: number) => z.string().min(1).max(max).nullable().default(null)
const entrySchema = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'a dotted verb such as auth.sign-in.failed'),
  outcome: z.enum(['success', 'failure', 'denied']),
  actorId: nullableId,
  onBehalfOfId: nullableId,
  objectType: nullableText(100),
  objectId: nullableText(200),
  requestId: nullableText(100),
  ipHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'an HMAC from hashIp, never a raw address')
    .nullable()
    .default(null),
  details: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]),
    )
    .default({}),
})

/**
 * Appends one entry to the tamper-evident audit trail (issue #3, part 6).
 *
 * Given the caller's transaction, the entry commits or rolls back with the work it describes: use that for
 * `record.read` and successful changes. A denied or failed attempt usually rolls its transaction back, so record
 * it with the plain `db`, and this opens a transaction of its own.
 *
 * The chain stays linear because every writer takes one transaction-scoped advisory lock, then reads the newest
 * entry, then inserts seq + 1 with that entry's hash as prev_hash. Writers therefore queue for the lock until the
 * writer ahead commits, so call this last in a transaction, just before it commits. Under REPEATABLE READ or
 * SERIALIZABLE a writer whose snapshot predates the last commit gets a duplicate-key error (a safe failure): retry.
 */
export async function recordAudit(db: AnyDb, entry: AuditEntry): Promise<AuditRecord> {
  const parsed = entrySchema.safeParse(entry)
  if (!parsed.success) throw new TypeError(`Invalid audit entry: ${z.prettifyError(parsed.error)}`)
  const e = parsed.data
  if (!db.isTransaction) return db.transaction().execute((trx) => append(moduleDb<AuditTables>(trx), e))
  return append(moduleDb<AuditTables>(db), e)
}

async function append(trx: Kysely<AuditTables>, e: z.output<typeof entrySchema>): Promise<AuditRecord> {
  await lockAuditChain(trx)
  const { now, last } = await findAuditHead(trx)
  const prevHash = last?.hash ?? GENESIS_HASH
  const row: Omit<AuditLogRow, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    occurred_at: now,
    actor_id: e.actorId,
    on_behalf_of_id: e.onBehalfOfId,
    action: e.action,
    object_type: e.objectType,
    object_id: e.objectId,
    outcome: e.outcome,
    request_id: e.requestId,
    ip_hash: e.ipHash,
    details: e.details,
    prev_hash: prevHash,
  }
  const hash = computeAuditHash(prevHash, hashedFields(row))
  await insertAuditRow(trx, { ...row, hash })
  return toAuditRecord({ ...row, hash })
}

/**
 * What was done on a person's behalf (`onBehalfOf`, for their history page), or by them (`actor`, for their data
 * export), newest first.
 */
export async function listAuditEntriesAbout(
  db: AnyDb,
  personId: string,
  role: 'onBehalfOf' | 'actor',
  limit = 500,
): Promise<AuditRecord[]> {
  const rows = await listAuditRowsAbout(moduleDb<AuditTables>(db), personId, { asActor: role === 'actor', limit })
  return rows.map(toAuditRecord)
}

/** The fields a row's hash covers; occurred_at as ISO 8601 UTC. Exported for tests that forge a row. */
export function hashedFields(row: Omit<AuditLogRow, 'hash'>): AuditHashedFields {
  return {
    seq: row.seq,
    occurred_at: new Date(row.occurred_at).toISOString(),
    actor_id: row.actor_id,
    on_behalf_of_id: row.on_behalf_of_id,
    action: row.action,
    object_type: row.object_type,
    object_id: row.object_id,
    outcome: row.outcome,
    request_id: row.request_id,
    ip_hash: row.ip_hash,
    details: row.details,
  }
}

function toAuditRecord(row: AuditLogRow): AuditRecord {
  return {
    seq: row.seq,
    occurredAt: new Date(row.occurred_at),
    actorId: row.actor_id,
    onBehalfOfId: row.on_behalf_of_id,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
    ipHash: row.ip_hash,
    details: row.details as Record<string, AuditDetailValue>,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/** What a route handler passes to `recordAudit`: the request id and the client address, hashed. */
export function auditContextFromRequest(
  req: { id: string; ip: string },
  config: Pick<Config, 'cookieSecret'>,
): { requestId: string; ipHash: string | null } {
  return { requestId: req.id, ipHash: hashIp(req.ip, config.cookieSecret) }
}

export type AuditBreak = 'hash mismatch' | 'broken link' | 'gap in sequence'

export type AuditVerification =
  { ok: true; checked: number } | { ok: false; checked: number; firstBroken: { seq: number; reason: AuditBreak } }

/** The database has no audit trail to check: it has not been migrated. */
export class AuditTrailMissingError extends Error {
  constructor() {
    super('This database has no audit trail yet: run `openchoice migrate` first.')
  }
}

/** How many rows verify reads at a time: enough to be quick, few enough to hold millions in constant memory. */
export const AUDIT_VERIFY_BATCH = 5000

/**
 * Recomputes the whole chain, oldest first, reading it in keyset-paginated batches, and stops at the first fault:
 * - 'gap in sequence': seq does not follow on (a row was removed); the reported seq is the first one missing;
 * - 'broken link': prev_hash is not the previous entry's hash (a row was removed and later ones renumbered, or
 *   prev_hash was edited);
 * - 'hash mismatch': the entry's fields no longer give its hash (a row was edited).
 * `checked` counts the entries read, including the one where the fault showed. Throws AuditTrailMissingError on a
 * database that has not been migrated.
 */
export async function verifyAuditChain(db: AnyDb, opts: { batchSize?: number } = {}): Promise<AuditVerification> {
  const audit = moduleDb<AuditTables>(db)
  const batchSize = opts.batchSize ?? AUDIT_VERIFY_BATCH
  if (!(await auditLogExists(audit))) throw new AuditTrailMissingError()
  let checked = 0
  let lastSeq = 0
  let lastHash = GENESIS_HASH
  for (;;) {
    const rows = await listAuditRowsAfter(audit, lastSeq, batchSize)
    for (const row of rows) {
      checked++
      const broken = (seq: number, reason: AuditBreak): AuditVerification => ({
        ok: false,
        checked,
        firstBroken: { seq, reason },
      })
      if (row.seq !== lastSeq + 1) return broken(lastSeq + 1, 'gap in sequence')
      if (row.prev_hash !== lastHash) return broken(row.seq, 'broken link')
      if (computeAuditHash(row.prev_hash, hashedFields(row)) !== row.hash) return broken(row.seq, 'hash mismatch')
      lastSeq = row.seq
      lastHash = row.hash
    }
    if (rows.length < batchSize) return { ok: true, checked }
  }
}

const count = new Intl.NumberFormat('en-GB')
const entries = (n: number) => `${count.format(n)} ${n === 1 ? 'entry' : 'entries'}`

/** The sentence `openchoice audit verify` prints. */
export function describeAuditVerification(result: AuditVerification): string {
  if (result.ok) return `Audit trail intact: ${entries(result.checked)} checked.`
  const { seq, reason } = result.firstBroken
  return `Audit trail BROKEN at entry ${count.format(seq)}: ${reason} (${entries(result.checked)} checked).`
}
