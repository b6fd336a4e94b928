import { createHash, createHmac, hkdfSync } from 'node:crypto'

/** A value that survives a round trip through jsonb unchanged, so what is hashed is what is stored. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** The prev_hash of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * The fields of one audit row that its hash covers, keyed by column name so that anyone can recompute a hash from
 * the table alone. Changing these keys or their encoding changes every hash: add a new field only with a version.
 */
export interface AuditHashedFields {
  seq: number
  /** ISO 8601 in UTC with milliseconds, as `Date#toISOString` writes it. */
  occurred_at: string
  actor_id: string | null
  on_behalf_of_id: string | null
  action: string
  object_type: string | null
  object_id: string | null
  outcome: string
  request_id: string | null
  ip_hash: string | null
  details: { readonly [key: string]: JsonValue }
}

/**
 * JSON with object keys sorted (by UTF-16 code unit) and no whitespace, so equal values always give equal text
 * whatever order their keys were written or stored in (jsonb reorders keys). For the values we store this is the
 * JSON Canonicalization Scheme (RFC 8785). Keys whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`)
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v: JsonValue) => canonicalJson(v)).join(',')}]`
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`canonicalJson: only plain objects, not ${value.constructor?.name ?? 'this object'}`)
      const record = value as { readonly [key: string]: JsonValue | undefined }
      const members = Object.keys(record)
        .sort()
        .flatMap((k) => {
          const v = record[k]
          return v === undefined ? [] : [`${JSON.stringify(k)}:${canonicalJson(v)}`]
        })
      return `{${members.join(',')}}`
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`)
  }
}

/** SHA-256 of the UTF-8 text, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** An entry's hash: sha256_hex(prev_hash + '\n' + canonicalJson(fields)); it covers its link to the entry before. */
export function computeAuditHash(prevHash: string, fields: AuditHashedFields): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(fields as unknown as JsonValue)}`)
}

const ipKeys = new Map<string, Buffer>()

/**
 * The key for hashing client addresses, derived (HKDF-SHA256) from the cookie secret with its own label, so the
 * cookie-signing key itself never meets an IP address. Rotating the secret changes every later IP hash.
 */
function ipKey(secret: string): Buffer {
  let key = ipKeys.get(secret)
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'openchoice', 'platform/audit/ip-hash/v1', 32))
    ipKeys.set(secret, key)
  }
  return key
}

/**
 * HMAC-SHA256 of a client IP address, hex. The audit trail stores this, never the address: it can tell that two
 * events came from one address, and confirm a suspected address, but it cannot be reversed by trying every IPv4
 * address without the key. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) hashes as the IPv4 address it carries.
 */
export function hashIp(ip: string | null | undefined, secret: string): string | null {
  const normalised = ip
    ?.trim()
    .toLowerCase()
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
  if (!normalised) return null
  return createHmac('sha256', ipKey(secret)).update(normalised, 'utf8').digest('hex')
}
