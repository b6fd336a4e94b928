import type { Insertable } from 'kysely'
import type { ProvidersTable, ProviderStatus } from '../tables.ts'

/** A provider as the demo loader writes it; the directory issue (#4) replaces this with proper importers. */
export type ProviderInput = Omit<Insertable<ProvidersTable>, 'id' | 'imported_at' | 'outcode'> & {
  outcode: string | null
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/

/** Normalises a UK postcode to upper case with one space; null when it is not one. */
export function normalisePostcode(raw: string | undefined | null): string | null {
  const m = POSTCODE.exec((raw ?? '').toUpperCase().replace(/\s+/g, ' ').trim())
  return m ? `${m[1]} ${m[2]}` : null
}

export function outcodeOf(postcode: string | null): string | null {
  return postcode ? postcode.split(' ')[0]! : null
}

/** `YYYYMMDD` (ODS), `dd/mm/yyyy` (Ofsted) or `dd-mm-yyyy` (GIAS) to a UTC date; null when blank or invalid. */
export function parseDate(raw: string | undefined): Date | null {
  const s = (raw ?? '').trim()
  let y: number, m: number, d: number
  let match: RegExpExecArray | null
  if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) [y, m, d] = [+match[1]!, +match[2]!, +match[3]!]
  else if ((match = /^(\d{2})[/-](\d{2})[/-](\d{4})$/.exec(s))) [d, m, y] = [+match[1]!, +match[2]!, +match[3]!]
  else return null
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null
}

function joinAddress(parts: (string | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p && p !== 'REDACTED')
    .join(', ')
}

/** ODS names and addresses are upper case; people read mixed case more easily. */
export function titleCase(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[\s\-(/&])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase())
    .replace(/\b(Nhs|Gp|Pcn|Uk)\b/g, (w) => w.toUpperCase())
}

const EPRACCUR_STATUS: Record<string, ProviderStatus> = { A: 'open', C: 'closed', D: 'dormant', P: 'proposed' }
const GP_PRACTICE_SETTING = '4' // ODS prescribing setting 4 = GP Practice

/** One headerless epraccur row (columns by position per the ODS specification); null unless a GP practice. */
export function epraccurToProvider(f: string[], sourceFile: string): ProviderInput | null {
  if (f[25] !== GP_PRACTICE_SETTING) return null
  const status = EPRACCUR_STATUS[f[12] ?? '']
  if (!f[0] || !f[1] || !status) return null
  const postcode = normalisePostcode(f[9])
  return {
    source: 'ods-epraccur',
    source_ref: f[0],
    name: titleCase(f[1]),
    framework: 'nhs-care',
    provider_type: 'GP practice',
    address: titleCase(joinAddress(f.slice(4, 8))),
    town: f[7] ? titleCase(f[7]) : null,
    postcode,
    outcode: outcodeOf(postcode),
    la_name: null,
    status,
    regulator: null,
    rating: null,
    rating_date: null,
    opened_on: parseDate(f[10]),
    closed_on: parseDate(f[11]),
    places: null,
    telephone: f[17] || null,
    source_file: sourceFile,
  }
}

const OFSTED_GRADES: Record<string, string> = {
  '1': 'Outstanding',
  '2': 'Good',
  '3': 'Requires improvement',
  '4': 'Inadequate',
}

/**
 * One Ofsted childcare provider row. Childminders' and home childcarers' names and addresses are published as
 * `REDACTED`, so they cannot be chosen from a list; only providers with a published name and postcode are kept.
 */
export function ofstedToProvider(r: Record<string, string>, sourceFile: string): ProviderInput | null {
  const name = r['Provider name']?.trim()
  const postcode = normalisePostcode(r['Postcode'])
  if (!name || name === 'REDACTED' || !postcode || !r['Provider URN']) return null
  const grade = OFSTED_GRADES[r['Most recent full: Overall effectiveness'] ?? '']
  return {
    source: 'ofsted-childcare',
    source_ref: r['Provider URN'],
    name,
    framework: 'early-education',
    provider_type: r['Provider type'] || 'Childcare provider',
    address: joinAddress([r['Provider address line 1'], r['Provider address line 2'], r['Provider address line 3']]),
    town: r['Provider town'] || null,
    postcode,
    outcode: outcodeOf(postcode),
    la_name: r['Local authority'] || null,
    status: r['Provider status'] === 'Active' ? 'open' : 'closed',
    regulator: 'Ofsted',
    rating: grade ?? null,
    rating_date: grade ? parseDate(r['Most recent full: Inspection date']) : null,
    opened_on: parseDate(r['Registration date']),
    closed_on: null,
    places: /^\d+$/.test(r['Places'] ?? '') ? Number(r['Places']) : null,
    telephone: null,
    source_file: sourceFile,
  }
}

const GIAS_STATUS: Record<string, ProviderStatus> = {
  Open: 'open',
  'Open, but proposed to close': 'open',
  Closed: 'closed',
  'Proposed to open': 'proposed',
}

/** One GIAS establishment row (header-driven, so any of GIAS's column sets works). */
export function giasToProvider(r: Record<string, string>, sourceFile: string): ProviderInput | null {
  const status = GIAS_STATUS[r['EstablishmentStatus (name)'] ?? '']
  if (!r['URN'] || !r['EstablishmentName'] || !status) return null
  const postcode = normalisePostcode(r['Postcode'])
  const rating = r['OfstedRating (name)'] || null
  return {
    source: 'gias',
    source_ref: r['URN'],
    name: r['EstablishmentName'],
    framework: 'education',
    provider_type: r['TypeOfEstablishment (name)'] || 'School',
    address: joinAddress([r['Street'], r['Locality'], r['Address3']]),
    town: r['Town'] || null,
    postcode,
    outcode: outcodeOf(postcode),
    la_name: r['LA (name)'] || null,
    status,
    regulator:
      r['Country (name)'] === 'Wales' || r['TypeOfEstablishment (name)'] === 'Welsh establishment' ? 'Estyn' : 'Ofsted',
    rating,
    rating_date: rating ? parseDate(r['OfstedLastInsp']) : null,
    opened_on: parseDate(r['OpenDate']),
    closed_on: parseDate(r['CloseDate']),
    places: /^\d+$/.test(r['SchoolCapacity'] ?? '') ? Number(r['SchoolCapacity']) : null,
    telephone: r['TelephoneNum'] || null,
    source_file: sourceFile,
  }
}
