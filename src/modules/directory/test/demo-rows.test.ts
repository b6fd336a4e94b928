import { describe, expect, it } from 'vitest'
import {
  epraccurToProvider,
  giasToProvider,
  normalisePostcode,
  ofstedToProvider,
  parseDate,
  titleCase,
} from '../seeds/demo-rows.ts'

// Real rows, copied from the published files in data/.
const EPRACCUR_GP =
  '"A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""'
const fields = (row: string) => row.slice(1, -1).split('","')

describe('demo loader row parsing', () => {
  it.each([
    ['sw1a 1aa', 'SW1A 1AA'],
    [' TS18  1HU ', 'TS18 1HU'],
    ['M11AE', 'M1 1AE'],
    ['REDACTED', null],
    ['', null],
    ['12345', null],
  ])('normalises postcode %j to %j', (raw, expected) => {
    expect(normalisePostcode(raw)).toBe(expected)
  })

  it.each([
    ['19740401', '1974-04-01'],
    ['23/07/2021', '2021-07-23'],
    ['20-05-2021', '2021-05-20'],
    ['31/02/2021', null],
    ['', null],
    ['2021-05-20', null],
  ])('reads date %j as %j', (raw, expected) => {
    expect(parseDate(raw)?.toISOString().slice(0, 10) ?? null).toBe(expected)
  })

  it('title-cases ODS upper-case names but keeps NHS and GP', () => {
    expect(titleCase('QUEENS PARK MEDICAL CTR')).toBe('Queens Park Medical Ctr')
    expect(titleCase("ST MARY'S NHS GP SURGERY")).toBe("St Mary's NHS GP Surgery")
  })

  it('reads a GP practice from a headerless epraccur row by column position', () => {
    const p = epraccurToProvider(fields(EPRACCUR_GP), 'epraccur.csv')
    expect(p).toMatchObject({
      source: 'ods-epraccur',
      source_ref: 'A81001',
      name: 'The Densham Surgery',
      framework: 'nhs-care',
      postcode: 'TS18 1HU',
      outcode: 'TS18',
      status: 'open',
      telephone: '01642 672351',
    })
    expect(p?.opened_on?.toISOString().slice(0, 10)).toBe('1974-04-01')
  })

  it('skips epraccur rows that are not GP practices (prescribing setting other than 4)', () => {
    const f = fields(EPRACCUR_GP)
    f[25] = '26' // Primary Care Network
    expect(epraccurToProvider(f, 'x')).toBeNull()
  })

  it('leaves out Ofsted rows whose name and address are published as REDACTED', () => {
    expect(
      ofstedToProvider({ 'Provider URN': '2503508', 'Provider name': 'REDACTED', Postcode: 'REDACTED' }, 'x'),
    ).toBeNull()
  })

  it('reads an Ofsted nursery with its numeric grade as words', () => {
    const p = ofstedToProvider(
      {
        'Provider URN': 'EY123456',
        'Provider name': 'Little Acorns Nursery',
        'Provider type': 'Childcare on non-domestic premises',
        'Provider status': 'Active',
        'Provider address line 1': '1 High Street',
        'Provider town': 'Leeds',
        Postcode: 'LS1 1AA',
        'Local authority': 'Leeds',
        Places: '40',
        'Registration date': '01/09/2015',
        'Most recent full: Overall effectiveness': '2',
        'Most recent full: Inspection date': '23/07/2021',
      },
      'ofsted.csv',
    )
    expect(p).toMatchObject({
      rating: 'Good',
      places: 40,
      status: 'open',
      framework: 'early-education',
      regulator: 'Ofsted',
    })
    expect(p?.rating_date?.toISOString().slice(0, 10)).toBe('2021-07-23')
  })

  it('maps GIAS statuses and marks Welsh schools as regulated by Estyn', () => {
    const base = { URN: '100000', EstablishmentName: 'Some School', Postcode: 'CF10 1AA' }
    expect(giasToProvider({ ...base, 'EstablishmentStatus (name)': 'Open, but proposed to close' }, 'g')?.status).toBe(
      'open',
    )
    expect(giasToProvider({ ...base, 'EstablishmentStatus (name)': 'Proposed to open' }, 'g')?.status).toBe('proposed')
    expect(giasToProvider({ ...base, 'EstablishmentStatus (name)': 'Unknown' }, 'g')).toBeNull()
    expect(
      giasToProvider(
        { ...base, 'EstablishmentStatus (name)': 'Open', 'TypeOfEstablishment (name)': 'Welsh establishment' },
        'g',
      )?.regulator,
    ).toBe('Estyn')
  })
})
