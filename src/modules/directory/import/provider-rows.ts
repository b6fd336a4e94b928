import type { RecordResult } from '../../../platform/index.ts'
import type { ChoiceFramework } from '../frameworks.ts'
import type { OrganisationsTable, RegistrationStatus, ServiceStatus } from '../tables.ts'

/**
 * One provider as a regulator's file describes it: who runs it, the service, where, and its registration. The
 * register it is listed in is its file's (the source's role, provider-sources.ts), so the record does not say it.
 */
export interface ProviderRecord {
  sourceRef: string
  organisation: {
    name: string
    sector: OrganisationsTable['sector']
    identifier: { scheme: string; value: string }
  }
  service: {
    name: string
    framework: ChoiceFramework
    serviceType: string
    status: ServiceStatus
    places: number | null
    telephone: string | null
    openedOn: Date | null
    closedOn: Date | null
  }
  location: {
    address: string
    town: string | null
    postcode: string | null
    laName: string | null
    /** The source that gave the address, when it is not the record's own file (school-addresses.ts). */
    givenBy?: string
  }
  registration: {
    regulator: string
    regulatorRef: string
    status: RegistrationStatus
    rating: string | null
    ratingDate: Date | null
    ratedBy: string | null
  }
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

/** An address's lines as one line, leaving out blank and redacted ones. */
export function joinAddress(parts: (string | null | undefined)[]): string {
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

/** ODS status codes: Active, Closed, Dormant, Proposed. */
const EPRACCUR_STATUS: Record<string, [ServiceStatus, RegistrationStatus]> = {
  A: ['active', 'registered'],
  C: ['defunct', 'cancelled'],
  D: ['inactive', 'suspended'],
  P: ['inactive', 'proposed'],
}
const GP_PRACTICE_SETTING = '4' // ODS prescribing setting 4 = GP Practice

/**
 * One headerless epraccur row (columns by position per the ODS specification: 0 code, 1 name, 4-8 address,
 * 9 postcode, 10 open date, 11 close date, 12 status, 17 telephone, 25 prescribing setting). Other prescribing
 * settings (out-of-hours, walk-in centres, prisons…) are skipped: people do not register with them.
 */
export function epraccurRecord(r: Record<string, string>): RecordResult<ProviderRecord> {
  const f = (i: number) => (r[String(i)] ?? '').trim()
  if (f(25) !== GP_PRACTICE_SETTING) return { skip: 'not a GP practice (ODS prescribing setting)' }
  const statuses = EPRACCUR_STATUS[f(12)]
  if (!/^[A-Z]\d{5}$/.test(f(0))) return { invalid: `"${f(0)}" is not an ODS practice code` }
  if (!f(1)) return { invalid: 'the practice has no name' }
  if (!statuses) return { invalid: `"${f(12)}" is not an ODS status code (A, C, D or P)` }
  const postcode = normalisePostcode(f(9))
  if (f(9) && !postcode) return { invalid: `"${f(9)}" is not a postcode` }
  return {
    row: {
      sourceRef: f(0),
      organisation: { name: titleCase(f(1)), sector: null, identifier: { scheme: 'ods', value: f(0) } },
      service: {
        name: titleCase(f(1)),
        framework: 'nhs-care',
        serviceType: 'GP practice',
        status: statuses[0],
        places: null,
        telephone: f(17) || null,
        openedOn: parseDate(f(10)),
        closedOn: parseDate(f(11)),
      },
      location: {
        address: titleCase(joinAddress([f(4), f(5), f(6), f(7)])),
        town: f(7) ? titleCase(f(7)) : null,
        postcode,
        laName: null,
      },
      registration: {
        regulator: 'nhs-ods',
        regulatorRef: f(0),
        status: statuses[1],
        rating: null,
        ratingDate: null,
        ratedBy: null,
      },
    },
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
 * `REDACTED`, so they cannot be chosen from a list and are skipped. The registered person (often a company or a
 * charity) is the organisation, so one company's nurseries share it.
 */
export function ofstedRecord(r: Record<string, string>): RecordResult<ProviderRecord> {
  const urn = (r['Provider URN'] ?? '').trim()
  const name = (r['Provider name'] ?? '').trim()
  if (name === 'REDACTED') return { skip: 'individual childcarer: name and address not published' }
  if (!/^([A-Z]{2})?\d{5,7}$/.test(urn)) return { invalid: `"${urn}" is not an Ofsted URN` }
  if (!name) return { invalid: 'the provider has no name' }
  const postcode = normalisePostcode(r['Postcode'])
  if (!postcode) return { invalid: `"${r['Postcode'] ?? ''}" is not a postcode` }
  const grade = OFSTED_GRADES[r['Most recent full: Overall effectiveness'] ?? '']
  const active = r['Provider status'] === 'Active'
  const personUrn = (r['Registered person URN'] ?? '').trim()
  const personName = (r['Registered_Person_Name'] ?? '').trim()
  return {
    row: {
      sourceRef: urn,
      organisation: {
        name: personName || name,
        sector: null,
        identifier: personUrn ? { scheme: 'ofsted-rp', value: personUrn } : { scheme: 'ofsted', value: urn },
      },
      service: {
        name,
        framework: 'early-education',
        serviceType: r['Provider type'] || 'Childcare provider',
        status: active ? 'active' : 'inactive',
        places: /^\d+$/.test(r['Places'] ?? '') ? Number(r['Places']) : null,
        telephone: null,
        openedOn: parseDate(r['Registration date']),
        closedOn: null,
      },
      location: {
        address: joinAddress([
          r['Provider address line 1'],
          r['Provider address line 2'],
          r['Provider address line 3'],
        ]),
        town: r['Provider town'] || null,
        postcode,
        laName: r['Local authority'] || null,
      },
      registration: {
        regulator: 'ofsted',
        regulatorRef: urn,
        status: active ? 'registered' : 'cancelled',
        rating: grade ?? null,
        ratingDate: grade ? parseDate(r['Most recent full: Inspection date']) : null,
        ratedBy: grade ? 'Ofsted' : null,
      },
    },
  }
}

const GIAS_STATUS: Record<string, [ServiceStatus, RegistrationStatus]> = {
  Open: ['active', 'registered'],
  'Open, but proposed to close': ['active', 'registered'],
  Closed: ['defunct', 'cancelled'],
  'Proposed to open': ['inactive', 'proposed'],
}

/** One GIAS establishment row (header-driven, so any of GIAS's column sets works). */
export function giasRecord(r: Record<string, string>): RecordResult<ProviderRecord> {
  const urn = (r['URN'] ?? '').trim()
  const statusName = r['EstablishmentStatus (name)'] ?? ''
  const statuses = GIAS_STATUS[statusName]
  if (!/^\d{6}$/.test(urn)) return { invalid: `"${urn}" is not a URN` }
  if (!r['EstablishmentName']) return { invalid: 'the establishment has no name' }
  if (!statuses) return { invalid: `"${statusName}" is not a GIAS establishment status` }
  const postcode = normalisePostcode(r['Postcode'])
  const rating = r['OfstedRating (name)'] || null
  const welsh = r['Country (name)'] === 'Wales' || r['TypeOfEstablishment (name)'] === 'Welsh establishment'
  return {
    row: {
      sourceRef: urn,
      organisation: { name: r['EstablishmentName'], sector: null, identifier: { scheme: 'urn', value: urn } },
      service: {
        name: r['EstablishmentName'],
        framework: 'education',
        serviceType: r['TypeOfEstablishment (name)'] || 'School',
        status: statuses[0],
        places: /^\d+$/.test(r['SchoolCapacity'] ?? '') ? Number(r['SchoolCapacity']) : null,
        telephone: r['TelephoneNum'] || null,
        openedOn: parseDate(r['OpenDate']),
        closedOn: parseDate(r['CloseDate']),
      },
      location: {
        address: joinAddress([r['Street'], r['Locality'], r['Address3']]),
        town: r['Town'] || null,
        postcode,
        laName: r['LA (name)'] || null,
      },
      registration: {
        regulator: 'dfe',
        regulatorRef: urn,
        status: statuses[1],
        rating,
        ratingDate: rating ? parseDate(r['OfstedLastInsp']) : null,
        ratedBy: rating ? (welsh ? 'Estyn' : 'Ofsted') : null,
      },
    },
  }
}
