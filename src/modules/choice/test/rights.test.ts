import { describe, expect, it } from 'vitest'
import { CHOICE_FRAMEWORKS } from '../../../platform/index.ts'
import en from '../locales/en.json' with { type: 'json' }
import { REQUEST_KINDS, requestKindFor, responseStandardDays, rightsFor, rightsStringKeys } from '../rights.ts'
import { RESPONSE_TIMES_METHOD } from '../../feedback/index.ts'

/** The English string for a dotted key, with {placeholders} filled in; throws when there is none, as `t` does. */
function t(key: string, params: Record<string, string> = {}): string {
  const found: unknown = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], en)
  if (typeof found !== 'string') throw new Error(`No English string for "${key}"`)
  return found.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole)
}

describe('rights catalogue', () => {
  it.each(CHOICE_FRAMEWORKS)('%s has rights, a response standard, a kind of request and a way to redress', (f) => {
    const r = rightsFor(f)
    expect(r.framework).toBe(f)
    expect(r.rights.length).toBeGreaterThan(0)
    for (const right of r.rights) {
      expect(right.basis.length).toBeGreaterThan(0)
      for (const b of right.basis) expect(b.url).toMatch(/^https:\/\/www\.(legislation\.)?gov\.uk\//)
    }
    expect(responseStandardDays(f)).toBe(r.responseStandardDays)
    expect(Number.isInteger(r.responseStandardDays) && r.responseStandardDays > 0).toBe(true)
    expect(REQUEST_KINDS).toContain(requestKindFor(f))
    // The standard says where it comes from, and the ombudsman step names the ombudsman it links to.
    expect(t(r.standardText, { days: 'N working days' })).toMatch(/Choice Charter.*N working days/)
    expect(t(r.redress.ombudsman.text)).toContain(t(r.redress.ombudsman.name))
  })

  it('each framework has its own kind of choice request', () => {
    expect(new Set(CHOICE_FRAMEWORKS.map(requestKindFor)).size).toBe(CHOICE_FRAMEWORKS.length)
  })

  it('sends each framework to the ombudsman that deals with it', () => {
    expect(CHOICE_FRAMEWORKS.map((f) => [f, rightsFor(f).redress.ombudsman.id])).toEqual([
      ['nhs-care', 'phso'],
      ['social-housing', 'housing'],
      ['social-care', 'lgsco'],
      ['education', 'lgsco'],
      ['early-education', 'lgsco'],
    ])
  })

  it('a refused school place goes to an independent appeal before the ombudsman', () => {
    expect(t(rightsFor('education').redress.steps[0]!)).toMatch(/independent appeal panel/)
  })

  it('every string the catalogue uses is in the English catalogue', () => {
    const keys = rightsStringKeys()
    expect(keys.length).toBeGreaterThan(40)
    for (const key of keys) expect(() => t(key), key).not.toThrow()
  })
})

describe('the standards the feedback module publishes response times against', () => {
  it('are the ones in the rights catalogue (the feedback module cannot import it, so it states them in words)', () => {
    const days = (f: Parameters<typeof responseStandardDays>[0]) => responseStandardDays(f)
    const method = RESPONSE_TIMES_METHOD.join(' ')
    expect(days('social-housing')).toBe(days('social-care'))
    expect(days('social-care')).toBe(days('early-education'))
    expect(method).toContain(`${days('nhs-care')} working days for NHS care`)
    expect(method).toContain(`${days('social-housing')} for social housing, social care and early education`)
    expect(method).toContain(`${days('education')} for education`)
  })
})
