import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { hashIp } from './audit-hash.ts'
import { auditContextFromRequest, describeAuditVerification, recordAudit } from './audit.ts'

describe('audit trail wording and request context', () => {
  it.each([
    [{ ok: true, checked: 1234 } as const, 'Audit trail intact: 1,234 entries checked.'],
    [{ ok: true, checked: 1 } as const, 'Audit trail intact: 1 entry checked.'],
    [{ ok: true, checked: 0 } as const, 'Audit trail intact: 0 entries checked.'],
    [
      { ok: false, checked: 57, firstBroken: { seq: 57, reason: 'hash mismatch' } } as const,
      'Audit trail BROKEN at entry 57: hash mismatch (57 entries checked).',
    ],
    [
      { ok: false, checked: 5, firstBroken: { seq: 5, reason: 'gap in sequence' } } as const,
      'Audit trail BROKEN at entry 5: gap in sequence (5 entries checked).',
    ],
  ])('operator reads %o as a sentence', (result, sentence) => {
    expect(describeAuditVerification(result)).toBe(sentence)
  })

  it('route handler gets the request id and a hashed client address, never the raw address', () => {
    const config = loadConfig({ NODE_ENV: 'test' })
    const ctx = auditContextFromRequest({ id: 'req-42', ip: '198.51.100.7' }, config)
    expect(ctx).toEqual({ requestId: 'req-42', ipHash: hashIp('198.51.100.7', config.cookieSecret) })
    expect(JSON.stringify(ctx)).not.toContain('198.51.100.7')
  })

  it.each([
    ['an action that is not a dotted verb', { action: 'SignIn', outcome: 'success' }],
    ['an unknown outcome', { action: 'auth.sign-in.succeeded', outcome: 'ok' }],
    ['an actor that is not an id', { action: 'record.read', outcome: 'success', actorId: 'alice@example.org' }],
    ['a raw IP address', { action: 'record.read', outcome: 'success', ipHash: '198.51.100.7' }],
    ['free text nested in details', { action: 'record.read', outcome: 'success', details: { person: { name: 'A' } } }],
  ])('developer is stopped from recording %s', async (_what, entry) => {
    const db = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the database must not be touched')
        },
      },
    )
    await expect(recordAudit(db as never, entry as never)).rejects.toThrow(/Invalid audit entry/)
  })
})
