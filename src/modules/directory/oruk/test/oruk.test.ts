import { describe, expect, it } from 'vitest'
import { csvField } from '../open-data.service.ts'
import { describePrecision, toPage } from '../oruk.mappers.ts'
import { servicesQuery } from '../oruk.schema.ts'
import { buildTerms, stableUuid, uuidV5 } from '../oruk.taxonomy.ts'

describe('Open Referral UK pieces', () => {
  it('makes version 5 uuids as RFC 9562 does (its example: www.example.com in the DNS namespace)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex')
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
    expect(stableUuid('term:framework:nhs-care')).toBe(stableUuid('term:framework:nhs-care'))
    expect(stableUuid('term:framework:nhs-care')).not.toBe(stableUuid('term:framework:education'))
  })

  it('builds a taxonomy whose service types sit under their Choice Framework, with unique ids', () => {
    const terms = buildTerms({
      serviceTypes: [
        { framework: 'nhs-care', serviceType: 'GP practice' },
        { framework: 'education', serviceType: 'Academy converter' },
        { framework: 'education', serviceType: 'Community school' },
      ],
      ratings: ['Good', 'Outstanding'],
    })
    expect(new Set(terms.map((t) => t.id)).size).toBe(terms.length)
    const frameworks = terms.filter((t) => t.meaning.kind === 'framework')
    expect(frameworks).toHaveLength(5)
    const school = terms.find((t) => t.name === 'Community school')!
    expect(school.parentId).toBe(terms.find((t) => t.name === 'School places')!.id)
    expect(terms.map((t) => t.taxonomy.key)).toEqual(
      [...terms.map((t) => t.taxonomy.key)].sort((a, b) => {
        const order = ['service-types', 'registration-status', 'ratings', 'location-precision']
        return order.indexOf(a) - order.indexOf(b)
      }),
    )
  })

  it.each([
    ['plain', true, 'plain'],
    ['with, comma', true, '"with, comma"'],
    ['say "hi"', true, '"say ""hi"""'],
    ['line\nbreak', true, '"line\nbreak"'],
    ['=SUM(A1)', true, "'=SUM(A1)"],
    ['-1.5', false, '-1.5'],
    ['+44 113', true, "'+44 113"],
    [null, true, ''],
  ] as const)('CSV field %j (text: %s) is written %j', (value, text, written) => {
    expect(csvField(value, text)).toBe(written)
  })

  it('pages as the profile says: size is what the page holds, a page past the end is empty', () => {
    expect(toPage([1, 2], 12, 1, 2)).toMatchObject({ total_pages: 6, size: 2, first_page: true, last_page: false })
    expect(toPage([], 12, 7, 2)).toMatchObject({ total_pages: 6, size: 0, empty: true, last_page: true })
    expect(toPage([], 0, 1, 50)).toMatchObject({ total_pages: 0, empty: true, first_page: true, last_page: true })
  })

  it('says how precise coordinates are', () => {
    expect(describePrecision('outcode', { outcode: 'LS1', postcode: 'LS1 4AP' })).toContain('centre of the LS1')
    expect(describePrecision('exact', { outcode: 'LS1', postcode: 'LS1 4AP' })).toContain('LS1 4AP')
    expect(describePrecision(null, { outcode: null, postcode: null })).toContain('not known')
  })

  it('caps per_page at 200 and defaults to 50, page 1', () => {
    expect(servicesQuery.parse({ per_page: '1000' })).toMatchObject({ page: 1, perPage: 200 })
    expect(servicesQuery.parse({})).toMatchObject({ page: 1, perPage: 50, words: [] })
    expect(servicesQuery.parse({ text: '  Densham   surgery ' }).words).toEqual(['Densham', 'surgery'])
  })
})
