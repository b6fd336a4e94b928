import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  computeAuditHash,
  GENESIS_HASH,
  hashIp,
  sha256Hex,
  type AuditHashedFields,
} from './audit-hash.ts'

// Expected values were computed independently, with Python's hashlib, hmac and json (sort_keys, compact separators).
const firstEntry: AuditHashedFields = {
  seq: 1,
  occurred_at: '2026-11-23T11:00:00.000Z',
  actor_id: '0b6e6d1c-3f3a-4c55-9a2e-5f1d2c3b4a59',
  on_behalf_of_id: null,
  action: 'auth.sign-in.succeeded',
  object_type: null,
  object_id: null,
  outcome: 'success',
  request_id: 'req-0001',
  ip_hash: null,
  details: { method: 'password' },
}
const devSecret = 'openchoice-development-secret-not-for-production-use'

describe('audit hashing', () => {
  it('auditor recomputes SHA-256 of a known text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('auditor writes an entry as canonical JSON: keys sorted, no whitespace, nulls kept', () => {
    expect(canonicalJson(firstEntry as never)).toBe(
      '{"action":"auth.sign-in.succeeded","actor_id":"0b6e6d1c-3f3a-4c55-9a2e-5f1d2c3b4a59",' +
        '"details":{"method":"password"},"ip_hash":null,"object_id":null,"object_type":null,' +
        '"occurred_at":"2026-11-23T11:00:00.000Z","on_behalf_of_id":null,"outcome":"success",' +
        '"request_id":"req-0001","seq":1}',
    )
  })

  it('auditor recomputes the first entry’s known hash from the genesis hash', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64))
    expect(computeAuditHash(GENESIS_HASH, firstEntry)).toBe(
      '2803c83cbbfe77e93d8a66256e090c0f708dafaaf61472c295df30a114eeb857',
    )
  })

  it('the same entry gives the same hash whatever order its keys were written or stored in', () => {
    const reordered = Object.fromEntries(Object.entries(firstEntry).reverse()) as unknown as AuditHashedFields
    expect(computeAuditHash(GENESIS_HASH, reordered)).toBe(computeAuditHash(GENESIS_HASH, firstEntry))
    expect(canonicalJson({ b: [1, { z: true, a: null }], a: 'x' })).toBe(
      canonicalJson({ a: 'x', b: [1, { a: null, z: true }] }),
    )
  })

  it.each([
    ['action', { ...firstEntry, action: 'auth.sign-in.failed' }],
    ['seq', { ...firstEntry, seq: 2 }],
    ['occurred_at', { ...firstEntry, occurred_at: '2026-11-23T11:00:00.001Z' }],
    ['actor_id', { ...firstEntry, actor_id: null }],
    ['details', { ...firstEntry, details: { method: 'passkey' } }],
  ])('changing %s changes the hash', (_field, changed) => {
    expect(computeAuditHash(GENESIS_HASH, changed)).not.toBe(computeAuditHash(GENESIS_HASH, firstEntry))
  })

  it('the hash covers the link: the same fields after a different entry hash differently', () => {
    expect(computeAuditHash('f'.repeat(64), firstEntry)).not.toBe(computeAuditHash(GENESIS_HASH, firstEntry))
  })

  it.each([
    ['strings with quotes and Welsh letters', { s: 'Caerdydd "ŵ"' }, '{"s":"Caerdydd \\"ŵ\\""}'],
    ['numbers as JavaScript writes them', { n: [1, 1.5, -0, 1e21] }, '{"n":[1,1.5,0,1e+21]}'],
    ['undefined members left out', { a: 1, b: undefined } as never, '{"a":1}'],
    ['keys sorted by code unit', { b: 1, B: 2, a: 3 }, '{"B":2,"a":3,"b":1}'],
  ])('canonical JSON writes %s', (_what, value, expected) => {
    expect(canonicalJson(value)).toBe(expected)
  })

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['a Date', { d: new Date(0) }],
    ['a bigint', { n: 1n }],
  ])('canonical JSON refuses %s, which jsonb would not give back unchanged', (_what, value) => {
    expect(() => canonicalJson(value as never)).toThrow(TypeError)
  })
})

describe('IP address hashing', () => {
  it('auditor gets a keyed hash of a known address, never the address itself', () => {
    const h = hashIp('192.0.2.1', devSecret)
    expect(h).toBe('bd33d2dcec99861712834192ba117c5110e73bf385fc97cbe8994dcaa5ac5dbb')
    expect(h).not.toBe(sha256Hex('192.0.2.1')) // keyed: an unkeyed hash of every IPv4 address is a lookup table
  })

  it('an IPv4 address seen through IPv6 hashes as the same address; another secret gives another hash', () => {
    expect(hashIp('::ffff:192.0.2.1', devSecret)).toBe(hashIp('192.0.2.1', devSecret))
    expect(hashIp('2001:DB8::1', devSecret)).toBe(hashIp('2001:db8::1', devSecret))
    expect(hashIp('192.0.2.1', 'another-secret-that-is-at-least-32-chars')).not.toBe(hashIp('192.0.2.1', devSecret))
    expect(hashIp('192.0.2.2', devSecret)).not.toBe(hashIp('192.0.2.1', devSecret))
  })

  it('no address gives no hash', () => {
    expect(hashIp('', devSecret)).toBeNull()
    expect(hashIp(undefined, devSecret)).toBeNull()
  })
})
