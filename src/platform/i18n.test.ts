import { describe, expect, it } from 'vitest'
import { I18n, MissingStringError, flatten, interpolate } from './i18n.ts'

describe('i18n catalogue', () => {
  const i18n = new I18n([
    { en: { home: { title: 'Choose your services', count: '{n} providers' } }, cy: { home: { title: 'Dewiswch' } } },
  ])

  it('looks up nested keys in the chosen language', () => {
    expect(i18n.translator('cy')('home.title')).toBe('Dewiswch')
    expect(i18n.translator('en')('home.title')).toBe('Choose your services')
  })

  it('falls back to English where a Welsh string is not yet written', () => {
    expect(i18n.translator('cy')('home.count', { n: 3 })).toBe('3 providers')
  })

  it('tells the caller which keys fell back, so a half-Welsh page is never labelled as Welsh', () => {
    const missing: string[] = []
    const t = i18n.translator('cy', (key) => missing.push(key))
    t('home.title')
    t('home.count', { n: 1 })
    expect(missing).toEqual(['home.count'])
  })

  it('throws on a key that has no English string, so a missing string fails tests', () => {
    expect(() => i18n.translator('en')('home.nope')).toThrow(MissingStringError)
  })

  it('rejects a Welsh string with no English original and a key defined twice', () => {
    expect(() => new I18n([{ en: {}, cy: { a: 'b' } }])).toThrow(/no English original/)
    expect(() => new I18n([{ en: { a: 'x' } }, { en: { a: 'y' } }])).toThrow(/defined twice/)
  })

  it('interpolates placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}')
    expect([...flatten({ a: { b: { c: 'd' } } }).keys()]).toEqual(['a.b.c'])
  })
})
