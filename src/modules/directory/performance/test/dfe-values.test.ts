import { describe, expect, it } from 'vitest'
import { RecordReader, academicYearFromFileName } from '../dfe-values.ts'

describe('academic year from a DfE file name', () => {
  it.each([
    ['england_ks4provisional_2018-19__LA_lt_800.csv', '2018/19'],
    ['england_ks5final_2016-2017.csv', '2016/17'],
    ['census_2019_20.csv', '2019/20'],
    ['ks4_201920.csv', '2019/20'],
    ['england_ks4final_2099-00.csv', '2099/00'],
  ])('administrator imports %s as %s', (name, year) => {
    expect(academicYearFromFileName(name)).toBe(year)
  })

  it.each([
    'england_ks4provisional.csv',
    'england_ks5final_2016.csv', // the year exams were sat or the year results came out? Ambiguous: refused
    'edubasealldata_extract_2021-05.csv',
    'ks4_2018-20.csv',
  ])('a file named %s says no academic year', (name) => {
    expect(academicYearFromFileName(name)).toBeUndefined()
  })
})

describe('reading DfE cells', () => {
  const percent = { field: 'pct', column: 'P', value: { kind: 'percent' } } as const
  const count = { field: 'n', column: 'N', value: { kind: 'count' } } as const

  it.each(['SUPP', 'NE', 'NA', 'NP', 'NEW', 'LOWCOV', 'x', 'c', 'z', ':'])(
    'a %s cell is null with its marker, never 0',
    (marker) => {
      const r = new RecordReader({ P: marker })
      expect(r.number(percent)).toBeNull()
      expect(r.markers).toEqual({ pct: marker })
      expect(r.problems).toEqual([])
    },
  )

  it.each([
    ['66.2%', 66.2],
    ['66.2', 66.2],
    ['0.0%', 0],
    ['100%', 100],
  ])('percentage %s reads as %s', (text, n) => {
    expect(new RecordReader({ P: text }).number(percent)).toBe(n)
  })

  it.each([
    ['140%', 'P "140%" is more than 100%'],
    ['-1%', 'P "-1%" is not a percentage or a DfE marker'],
    ['SUPPRESSED', 'P "SUPPRESSED" is not a percentage or a DfE marker'],
  ])('percentage %s is a bad value', (text, problem) => {
    const r = new RecordReader({ P: text })
    expect(r.number(percent)).toBeNull()
    expect(r.problems).toEqual([problem])
    expect(r.markers).toEqual({})
  })

  it('a blank cell is null with no marker, and a count must be whole', () => {
    const r = new RecordReader({ N: ' ', P: '' })
    expect(r.number(count)).toBeNull()
    expect(r.number(percent)).toBeNull()
    expect(r.markers).toEqual({})
    expect(new RecordReader({ N: '12.5' }).numbers([count])).toEqual({ n: null })
  })

  it('postcodes are tidied, and a non-postcode is a problem', () => {
    expect(new RecordReader({ PCODE: ' nw51uj ' }).postcode('PCODE')).toBe('NW5 1UJ')
    const r = new RecordReader({ PCODE: '2024688' })
    expect(r.postcode('PCODE')).toBeNull()
    expect(r.problems).toEqual(['PCODE "2024688" is not a UK postcode'])
  })

  it('Progress 8 outside its own confidence interval, or without one, is a problem', () => {
    const cols = { value: 'P8MEA', lower: 'P8CILOW', upper: 'P8CIUPP' }
    const r = new RecordReader({})
    r.checkInterval(cols, -0.08, -0.3, 0.14)
    expect(r.problems).toEqual([])
    r.checkInterval(cols, 0.9, -0.1, 0.29)
    r.checkInterval(cols, 0.1, null, 0.29)
    expect(r.problems).toEqual([
      'P8MEA 0.9 is outside its confidence interval -0.1 to 0.29',
      'P8MEA 0.1 has no confidence interval (P8CILOW, P8CIUPP)',
    ])
  })
})
