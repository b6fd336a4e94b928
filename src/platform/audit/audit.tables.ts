import type { JsonValue } from './audit-hash.ts'

/** One row of `platform.audit_log` as it is read and written (bigint comes back as a JS number: see db.ts). */
export interface AuditLogRow {
  seq: number
  occurred_at: Date
  actor_id: string | null
  on_behalf_of_id: string | null
  action: string
  object_type: string | null
  object_id: string | null
  outcome: string
  request_id: string | null
  ip_hash: string | null
  details: { [key: string]: JsonValue }
  prev_hash: string
  hash: string
}

/** The tables the audit trail owns. */
export interface AuditTables {
  'platform.audit_log': AuditLogRow
}
