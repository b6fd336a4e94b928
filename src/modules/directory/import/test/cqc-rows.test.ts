import { describe, expect, it } from 'vitest'
import type { RecordResult } from '../../../../platform/index.ts'
import {
  SKIP_NO_TYPE,
  SKIP_NOT_CHOSEN,
  SKIP_UNKNOWN_TYPE,
  cqcDirectoryRecord,
  cqcLocationsRecord,
  parseSheetDate,
} from '../cqc-rows.ts'
import type { ProviderRecord } from '../provider-rows.ts'

// Constructed rows (no real CQC rows are available here), keyed by the column names in LAYOUT.md.
const directoryRow = (over: Record<string, string> = {}): Record<string, string> => ({
  Name: 'Brightwater House',
  'Also known as': '',
  Address: '12 Mill Lane,Headingley,Leeds',
  Postcode: 'LS6 2AB',
  'Phone number': '0113 496 0001',
  "Service's website (if available)": '',
  'Service types': 'Nursing homes',
  'Date of latest check': '09/Jan/2026 - 00:00',
  'Specialisms/services': 'Dementia',
  'Provider name': 'Brightwater Care Ltd',
  'Local authority': 'Leeds',
  Region: 'Yorkshire and The Humber',
  'Location URL': '',
  'CQC Location ID (for office use only)': '1-1000000002',
  'CQC Provider ID (for office use only)': '1-1000000001',
  ...over,
})

const locationsRow = (over: Record<string, string> = {}): Record<string, string> => ({
  'Location ID': '1-1000000002',
  'Location Name': 'Brightwater House',
  'Location HSCA start date': '01/10/2010',
  'Dormant (Y/N)': 'N',
  'Care home?': 'Y',
  'Care homes beds': '42',
  'Location Local Authority': 'Leeds',
  'Location Street Address': '12 Mill Lane',
  'Location Address Line 2': '',
  'Location City': 'Leeds',
  'Location Postal Code': 'LS6 2AB',
  'Location Latest Overall Rating': 'Good',
  'Publication Date': '14/03/2025',
  'Provider ID': '1-1000000001',
  'Provider Name': 'Brightwater Care Ltd',
  'Provider Type/Sector': 'Social Care Org',
  'Provider Charity Number': '',
  'Provider Companies House Number': '05000001',
  'Service type - Care home service with nursing': 'Y',
  ...over,
})

function rowOf(result: RecordResult<ProviderRecord>): ProviderRecord {
  if (!('row' in result)) throw new Error(`expected a row, got ${JSON.stringify(result)}`)
  return result.row
}

describe('CQC rows', () => {
  it.each([
    ['Homecare agencies|Nursing homes', 'social-care', 'Care home with nursing'],
    ['Doctors/Gps|Urgent care centres', 'nhs-care', 'GP practice or doctor'],
    ['DOCTORS/GPS', 'nhs-care', 'GP practice or doctor'],
    ['Community services - Nursing|Residential homes', 'social-care', 'Care home'],
    ['Ambulances|Dentist', 'nhs-care', 'Dentist'],
    ['Something new|Supported living', 'social-care', 'Supported living'],
  ])('care directory service types %j place the location under %s as %j', (types, framework, label) => {
    const row = rowOf(cqcDirectoryRecord(directoryRow({ 'Service types': types })))
    expect(row.service).toMatchObject({ framework, serviceType: label })
  })

  it.each([
    ['Ambulances|Prison healthcare', SKIP_NOT_CHOSEN],
    ['Something new', SKIP_UNKNOWN_TYPE],
    ['', SKIP_NO_TYPE],
  ])('care directory service types %j are skipped: %s', (types, reason) => {
    expect(cqcDirectoryRecord(directoryRow({ 'Service types': types }))).toEqual({ skip: reason })
  })

  it('HSCA service type columns with Y place the location; a care home’s beds are its places', () => {
    const row = rowOf(
      cqcLocationsRecord(
        locationsRow({
          'Service type - Care home service with nursing': '',
          'Service type - Domiciliary care service': 'Y',
          'Service type - Dental service': 'Y',
          'Care home?': 'N',
        }),
      ),
    )
    expect(row.service).toMatchObject({ framework: 'social-care', serviceType: 'Home care agency', places: null })
    expect(rowOf(cqcLocationsRecord(locationsRow())).service.places).toBe(42)
    expect(cqcLocationsRecord(locationsRow({ 'Service type - A type CQC adds later': 'Y' }))).toMatchObject({ row: {} })
    expect(
      cqcLocationsRecord(
        locationsRow({ 'Service type - Care home service with nursing': '', 'Service type - A new one': 'Y' }),
      ),
    ).toEqual({ skip: SKIP_UNKNOWN_TYPE })
  })

  it('NHS trusts’ locations are named by ODS codes, which are CQC IDs too', () => {
    const row = rowOf(cqcLocationsRecord(locationsRow({ 'Location ID': 'RRK15', 'Provider ID': 'RRK' })))
    expect(row.registration.regulatorRef).toBe('RRK15')
    expect(cqcLocationsRecord(locationsRow({ 'Location ID': '101641521' }))).toEqual({
      invalid: '"101641521" is not a CQC location ID',
    })
  })

  it.each([
    ['Requires Improvement', 'Requires improvement'],
    ['OUTSTANDING', 'Outstanding'],
    ['Not yet rated', null],
    ['', null],
  ])('rating %j is kept as %j', (raw, rating) => {
    const row = rowOf(cqcLocationsRecord(locationsRow({ 'Location Latest Overall Rating': raw })))
    expect(row.registration).toMatchObject({ rating, ratedBy: rating ? 'CQC' : null })
    expect(row.registration.ratingDate === null).toBe(rating === null)
  })

  it.each([
    ['14/03/2025', '2025-03-14'],
    ['2025-03-14', '2025-03-14'],
    ['2025-03-14 00:00:00', '2025-03-14'],
    ['14-03-2025', '2025-03-14'],
    ['2025-02-30', null],
    ['Mar 2025', null],
  ])('spreadsheet date %j is %j', (raw, iso) => {
    expect(parseSheetDate(raw)?.toISOString().slice(0, 10) ?? null).toBe(iso)
  })

  it.each([
    [{ 'Provider Type/Sector': 'NHS Healthcare Organisation', 'Provider Companies House Number': '' }, 'public'],
    [{ 'Provider Charity Number': '1100001' }, 'voluntary'],
    [{}, 'private'],
    [{ 'Provider Companies House Number': '' }, null],
  ])('provider %j is in the %s sector', (over, sector) => {
    expect(rowOf(cqcLocationsRecord(locationsRow(over))).organisation.sector).toBe(sector)
  })
})
