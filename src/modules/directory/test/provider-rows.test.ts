import { describe, expect, it } from 'vitest'
import type { RecordResult } from '../../../platform/index.ts'
import {
  epraccurRecord,
  giasRecord,
  normalisePostcode,
  ofstedRecord,
  parseDate,
  titleCase,
  type ProviderRecord,
} from '../import/provider-rows.ts'

// Real rows, copied from the published files in data/.
const EPRACCUR_GP =
  '"A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""'
const fields = (row: string) => row.slice(1, -1).split('","')
const byPosition = (f: string[]) => Object.fromEntries(f.map((v, i) => [String(i), v]))
function rowOf(result: RecordResult<ProviderRecord>): ProviderRecord {
  if (!('row' in result)) throw new Error(`expected a row, got ${JSON.stringify(result)}`)
  return result.row
}

describe('provider rows from regulators’ files', () => {
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
    const p = rowOf(epraccurRecord(byPosition(fields(EPRACCUR_GP))))
    expect(p).toMatchObject({
      sourceRef: 'A81001',
      organisation: { name: 'The Densham Surgery', identifier: { scheme: 'ods', value: 'A81001' } },
      service: { name: 'The Densham Surgery', framework: 'nhs-care', status: 'active', telephone: '01642 672351' },
      location: { postcode: 'TS18 1HU', town: 'Cleveland' },
      registration: { regulator: 'nhs-ods', regulatorRef: 'A81001', status: 'registered' },
    })
    expect(p.service.openedOn?.toISOString().slice(0, 10)).toBe('1974-04-01')
  })

  it('skips epraccur rows that are not GP practices, and rejects rows it cannot trust', () => {
    const f = fields(EPRACCUR_GP)
    expect(epraccurRecord(byPosition(f.map((v, i) => (i === 25 ? '26' : v))))).toEqual({
      skip: 'not a GP practice (ODS prescribing setting)',
    })
    expect(epraccurRecord(byPosition(f.map((v, i) => (i === 12 ? 'X' : v))))).toEqual({
      invalid: '"X" is not an ODS status code (A, C, D or P)',
    })
    expect(epraccurRecord(byPosition(f.map((v, i) => (i === 0 ? 'A8100' : v))))).toEqual({
      invalid: '"A8100" is not an ODS practice code',
    })
    expect(epraccurRecord(byPosition(f.map((v, i) => (i === 9 ? 'NOT A POSTCODE' : v))))).toEqual({
      invalid: '"NOT A POSTCODE" is not a postcode',
    })
  })

  it('skips Ofsted rows whose name and address are published as REDACTED', () => {
    expect(ofstedRecord({ 'Provider URN': '2503508', 'Provider name': 'REDACTED', Postcode: 'REDACTED' })).toEqual({
      skip: 'individual childcarer: name and address not published',
    })
  })

  it('reads an Ofsted nursery with its numeric grade as words, run by its registered person', () => {
    const p = rowOf(
      ofstedRecord({
        'Provider URN': 'EY123456',
        'Provider name': 'Little Acorns Nursery',
        'Provider type': 'Childcare on non-domestic premises',
        'Provider status': 'Active',
        'Registered person URN': 'RP123456',
        Registered_Person_Name: 'Acorn Childcare Ltd',
        'Provider address line 1': '1 High Street',
        'Provider town': 'Leeds',
        Postcode: 'LS1 1AA',
        'Local authority': 'Leeds',
        Places: '40',
        'Registration date': '01/09/2015',
        'Most recent full: Overall effectiveness': '2',
        'Most recent full: Inspection date': '23/07/2021',
      }),
    )
    expect(p).toMatchObject({
      organisation: { name: 'Acorn Childcare Ltd', identifier: { scheme: 'ofsted-rp', value: 'RP123456' } },
      service: { places: 40, status: 'active', framework: 'early-education' },
      registration: { regulator: 'ofsted', status: 'registered', rating: 'Good', ratedBy: 'Ofsted' },
    })
    expect(p.registration.ratingDate?.toISOString().slice(0, 10)).toBe('2021-07-23')
  })

  it('maps GIAS statuses to registration and service status, and Welsh schools to Estyn', () => {
    const base = {
      URN: '100000',
      EstablishmentName: 'Some School',
      Postcode: 'CF10 1AA',
      'OfstedRating (name)': 'Good',
    }
    const status = (name: string) => giasRecord({ ...base, 'EstablishmentStatus (name)': name })
    expect(rowOf(status('Open, but proposed to close')).service.status).toBe('active')
    expect(rowOf(status('Proposed to open')).registration.status).toBe('proposed')
    expect(rowOf(status('Closed')).registration.status).toBe('cancelled')
    expect(status('Unknown')).toEqual({ invalid: '"Unknown" is not a GIAS establishment status' })
    const welsh = giasRecord({
      ...base,
      'EstablishmentStatus (name)': 'Open',
      'TypeOfEstablishment (name)': 'Welsh establishment',
    })
    expect(rowOf(welsh).registration.ratedBy).toBe('Estyn')
  })
})
