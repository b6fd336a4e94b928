import type { AuditHashedFields } from './audit-hash.ts'

/**
 * One row of `platform.audit_log` as it is read and written (bigint comes back as a JS number: see db.ts): the
 * fields its hash covers (audit-hash.ts, the one place that lists them), with occurred_at as a Date, plus the chain.
 */
export interface AuditLogRow extends Omit<AuditHashedFields, 'occurred_at'> {
  occurred_at: Date
  prev_hash: string
  hash: string
}

/** The tables the audit trail owns. */
export interface AuditTables {
  'platform.audit_log': AuditLogRow
}
