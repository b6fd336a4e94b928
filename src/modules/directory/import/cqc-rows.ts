import type { RecordResult } from '../../../platform/index.ts'
import type { ChoiceFramework } from '../frameworks.ts'
import type { OrganisationsTable } from '../tables.ts'
import { normalisePostcode, parseDate, type ProviderRecord } from './provider-rows.ts'

// The Care Quality Commission's two monthly bulk files (../shared/data/cqc/LAYOUT.md): the care directory CSV and
// the HSCA Active Locations sheet saved as CSV. The CQC provider is the organisation; each CQC location is a service.

/** The register both files list their locations in (`services.source`), each by its CQC location ID. */
export const CQC_REGISTER = 'cqc'
/** The two kinds of file, as `openchoice import` names them and `import_runs.source` records them. */
export const CQC_DIRECTORY = 'cqc-directory'
export const CQC_LOCATIONS = 'cqc-locations'

/** One CQC service type: its public name in the care directory, its HSCA column(s), and where it fits. */
interface CqcServiceType {
  /**
   * As the care directory's `Service types` lists it; compared without case (CQC has written both "Doctors/GPs" and
   * "Doctors/Gps"). Null where the directory's name for it is not known.
   */
  directory: string | null
  /** The HSCA Active Locations columns (`Service type - …`) that hold `Y` for it. */
  hsca: readonly string[]
  /** The Choice Framework it is chosen under; null for a service people do not choose (its location is skipped). */
  framework: ChoiceFramework | null
  /** What the directory calls it (`services.service_type`). */
  label: string
}

const social = (directory: string, hsca: string, label: string): CqcServiceType => ({
  directory,
  hsca: [hsca],
  framework: 'social-care',
  label,
})
const nhs = (directory: string | null, hsca: readonly string[], label: string): CqcServiceType => ({
  directory,
  hsca,
  framework: 'nhs-care',
  label,
})
const notChosen = (directory: string, hsca: string): CqcServiceType => ({
  directory,
  hsca: [hsca],
  framework: null,
  label: directory,
})

/**
 * Every CQC service type, in priority order: a location with several takes the first that fits, so a care home that
 * also sends nurses out is a care home, and a GP practice that runs an urgent care centre is a GP practice.
 *
 * - **social-care** (Care Act 2014: its choice of accommodation regulations, and care bought with a direct
 *   payment): care homes with and without nursing, home care (domiciliary care) agencies, supported living, extra
 *   care housing and Shared Lives schemes.
 * - **nhs-care** (the NHS Choice Framework: GP practice, first outpatient appointment, diagnostic tests, maternity,
 *   mental health): doctors and GPs, dentists, hospitals and clinics, mental health hospitals, hospices, community
 *   health, mental health, learning disability and substance misuse services, rehabilitation, long-term conditions,
 *   diagnosis and screening, independent midwives and nursing agencies.
 * - **skipped** (nobody picks them from a list): ambulances, blood and transplant services, prison healthcare,
 *   telephone and online advice (NHS 111), urgent care centres (walk-in), mobile doctors, hyperbaric chambers, and
 *   specialist colleges (chosen through a young person's EHC plan, not from CQC's register).
 *
 * The directory names and their HSCA equivalents are paired as CQC's API pairs them (`gacServiceTypes`, name and
 * description), as public code that reads both files maps them. A location with only service types not listed here
 * is skipped under its own reason, so a type CQC adds shows in the import summary rather than failing the file.
 */
const SERVICE_TYPES: readonly CqcServiceType[] = [
  social('Nursing homes', 'Care home service with nursing', 'Care home with nursing'),
  social('Residential homes', 'Care home service without nursing', 'Care home'),
  social('Homecare agencies', 'Domiciliary care service', 'Home care agency'),
  social('Supported living', 'Supported living service', 'Supported living'),
  social('Supported housing', 'Extra Care housing services', 'Extra care housing'),
  social('Shared lives', 'Shared Lives', 'Shared Lives scheme'),
  nhs('Doctors/GPs', ['Doctors consultation service', 'Doctors treatment service'], 'GP practice or doctor'),
  nhs('Dentist', ['Dental service'], 'Dentist'),
  nhs('Hospital', ['Acute services with overnight beds'], 'Hospital'),
  nhs(
    'Hospitals - Mental health/capacity',
    ['Hospital services for people with mental health needs, learning disabilities and problems with substance misuse'],
    'Mental health hospital',
  ),
  nhs(
    'Clinic',
    ['Acute services without overnight beds / listed acute services with or without overnight beds'],
    'Clinic',
  ),
  nhs('Hospice', ['Hospice services'], 'Hospice'),
  nhs('Home hospice care', ['Hospice services at home'], 'Hospice care at home'),
  nhs(
    'Community services - Mental Health',
    ['Community based services for people with mental health needs'],
    'Community mental health service',
  ),
  nhs(
    'Community services - Learning disabilities',
    ['Community based services for people with a learning disability'],
    'Community learning disability service',
  ),
  nhs(
    'Community services - Substance abuse',
    ['Community based services for people who misuse substances'],
    'Community substance misuse service',
  ),
  nhs(
    'Rehabilitation (substance abuse)',
    ['Residential substance misuse treatment and/or rehabilitation service'],
    'Residential substance misuse service',
  ),
  nhs('Rehabilitation (illness/injury)', ['Rehabilitation services'], 'Rehabilitation service'),
  nhs('Long-term conditions', ['Long term conditions services'], 'Long-term conditions service'),
  nhs('Community services - Healthcare', ['Community healthcare service'], 'Community health service'),
  nhs(
    'Diagnosis/screening',
    ['Diagnostic and/or screening service', 'Diagnostic and/or screening service - single handed sessional providers'],
    'Diagnostic and screening service',
  ),
  nhs(null, ['Community health care services - Independent Midwives'], 'Independent midwife'),
  nhs('Community services - Nursing', ['Community health care services - Nurses Agency only'], 'Nursing agency'),
  notChosen('Ambulances', 'Ambulance service'),
  notChosen('Blood and transplant service', 'Blood and Transplant service'),
  notChosen('Prison healthcare', 'Prison Healthcare Services'),
  notChosen('Phone/online advice', 'Remote clinical advice service'),
  notChosen('Urgent care centres', 'Urgent care services'),
  notChosen('Mobile doctors', 'Mobile doctors service'),
  notChosen('Hyperbaric chamber services', 'Hyperbaric Chamber'),
  notChosen('Specialist college service', 'Specialist college service'),
]

const BY_DIRECTORY_NAME = new Map(
  SERVICE_TYPES.flatMap((t) => (t.directory ? [[t.directory.toLowerCase(), t] as const] : [])),
)
const HSCA_PREFIX = 'Service type - '
const BY_HSCA_COLUMN = new Map(SERVICE_TYPES.flatMap((t) => t.hsca.map((c) => [HSCA_PREFIX + c, t] as const)))

export const SKIP_NOT_CHOSEN = 'not a service people choose, such as an ambulance or prison healthcare'
export const SKIP_UNKNOWN_TYPE = 'only CQC service types OpenChoice does not know yet'
export const SKIP_NO_TYPE = 'no service type listed'

/** The service type that places a location, from the types CQC lists for it (known ones, and the count of others). */
function placeByType(known: CqcServiceType[], unknown: number): { type: CqcServiceType } | { skip: string } {
  let best: CqcServiceType | undefined
  for (const t of known) {
    if (t.framework && (!best || SERVICE_TYPES.indexOf(t) < SERVICE_TYPES.indexOf(best))) best = t
  }
  if (best) return { type: best }
  if (known.length) return { skip: SKIP_NOT_CHOSEN }
  return { skip: unknown ? SKIP_UNKNOWN_TYPE : SKIP_NO_TYPE }
}

/** CQC IDs: `1-101641521` for most, an NHS trust's ODS code (`RRK`, and `RRK15` for its sites) for NHS trusts. */
const CQC_ID = /^(?:1-\d{4,12}|[A-Z][A-Z0-9]{2,9})$/

/** CQC's ratings, as the HSCA file writes them (any case); "Not yet rated" and blank mean no rating. */
const RATINGS = new Map(
  ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'].map((r) => [r.toLowerCase(), r] as const),
)
const NOT_RATED = new Set(['', 'not yet rated'])

/**
 * A date from a spreadsheet saved as CSV: `dd/mm/yyyy` (a UK locale), `yyyy-mm-dd`, or `yyyy-mm-dd 00:00:00` (as
 * pandas writes a datetime). LAYOUT.md does not say which the HSCA file's dates are written as.
 */
export function parseSheetDate(raw: string | undefined): Date | null {
  const s = (raw ?? '').trim()
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$/.exec(s)
  return iso ? parseDate(`${iso[3]}-${iso[2]}-${iso[1]}`) : parseDate(s)
}

/** `Y`, `N` or blank (a spreadsheet's empty cell) to a flag; anything else is not one. */
function flag(raw: string | undefined): boolean | undefined {
  const s = (raw ?? '').trim().toUpperCase()
  return s === 'Y' ? true : s === 'N' || s === '' ? false : undefined
}

/**
 * Who runs it, as far as the HSCA file says: NHS bodies are public; a provider with a charity number is voluntary
 * (charitable companies have a Companies House number too); one with only a company number is private. Councils'
 * own care services carry neither and stay unknown, as do sole traders and partnerships.
 */
function sectorOf(r: Record<string, string>): OrganisationsTable['sector'] {
  if ((r['Provider Type/Sector'] ?? '').trim() === 'NHS Healthcare Organisation') return 'public'
  if ((r['Provider Charity Number'] ?? '').trim()) return 'voluntary'
  if ((r['Provider Companies House Number'] ?? '').trim()) return 'private'
  return null
}

const text = (r: Record<string, string>, column: string) => (r[column] ?? '').trim()

/** The columns both CQC files share, under their own names in each. */
interface IdentityColumns {
  locationId: string
  providerId: string
  name: string
  providerName: string
  postcode: string
}

/** The checks every CQC row passes first: its ids, its names and its postcode. */
function checkIdentity(
  r: Record<string, string>,
  c: IdentityColumns,
): { invalid: string } | { locationId: string; providerId: string; postcode: string | null } {
  const locationId = text(r, c.locationId)
  const providerId = text(r, c.providerId)
  if (!CQC_ID.test(locationId)) return { invalid: `"${locationId}" is not a CQC location ID` }
  if (!CQC_ID.test(providerId)) return { invalid: `"${providerId}" is not a CQC provider ID` }
  if (!text(r, c.name)) return { invalid: 'the location has no name' }
  if (!text(r, c.providerName)) return { invalid: 'the location has no provider name' }
  const postcode = normalisePostcode(r[c.postcode])
  if (text(r, c.postcode) && !postcode) return { invalid: `"${text(r, c.postcode)}" is not a postcode` }
  return { locationId, providerId, postcode }
}

/** The care directory's columns this importer reads (LAYOUT.md section 1). */
export const DIRECTORY_COLUMNS = {
  name: 'Name',
  address: 'Address',
  postcode: 'Postcode',
  phone: 'Phone number',
  serviceTypes: 'Service types',
  providerName: 'Provider name',
  localAuthority: 'Local authority',
  locationId: 'CQC Location ID (for office use only)',
  providerId: 'CQC Provider ID (for office use only)',
} as const

/**
 * One row of CQC's care directory (`DD_Month_YYYY_CQC_directory.csv`). It lists active locations only, so each is
 * registered and active; it has no rating column (the HSCA file or the CQC API has them), so the rating is empty
 * (and a rating the HSCA file set is left alone: cqc-sources.ts says which fields each file keeps).
 * `Service types` holds several values separated by `|`. `Address` is one field (`7-9 White Kennet Street,London`)
 * with no separate town. `Date of latest check` is an inspection date without its rating, and is not kept.
 */
export function cqcDirectoryRecord(r: Record<string, string>): RecordResult<ProviderRecord> {
  const c = DIRECTORY_COLUMNS
  const identity = checkIdentity(r, c)
  if ('invalid' in identity) return identity
  const { locationId, providerId, postcode } = identity
  const names = text(r, c.serviceTypes)
    .split('|')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  const known = names.flatMap((n) => BY_DIRECTORY_NAME.get(n) ?? [])
  const placed = placeByType(known, names.length - known.length)
  if ('skip' in placed) return placed
  const address = text(r, c.address)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .join(', ')
  return {
    row: {
      sourceRef: locationId,
      organisation: {
        name: text(r, c.providerName),
        sector: null,
        identifier: { scheme: 'cqc-provider', value: providerId },
      },
      service: {
        name: text(r, c.name),
        framework: placed.type.framework!,
        serviceType: placed.type.label,
        status: 'active',
        places: null,
        telephone: text(r, c.phone) || null,
        openedOn: null,
        closedOn: null,
      },
      location: { address, town: null, postcode, laName: text(r, c.localAuthority) || null },
      registration: {
        regulator: 'cqc',
        regulatorRef: locationId,
        status: 'registered',
        rating: null,
        ratingDate: null,
        ratedBy: null,
      },
    },
  }
}

/** The HSCA Active Locations columns this importer reads (LAYOUT.md section 2), besides `Service type - …`. */
export const LOCATIONS_COLUMNS = {
  locationId: 'Location ID',
  name: 'Location Name',
  startDate: 'Location HSCA start date',
  dormant: 'Dormant (Y/N)',
  careHome: 'Care home?',
  beds: 'Care homes beds',
  localAuthority: 'Location Local Authority',
  street: 'Location Street Address',
  line2: 'Location Address Line 2',
  city: 'Location City',
  postcode: 'Location Postal Code',
  rating: 'Location Latest Overall Rating',
  publicationDate: 'Publication Date',
  providerId: 'Provider ID',
  providerName: 'Provider Name',
  providerSector: 'Provider Type/Sector',
  charityNumber: 'Provider Charity Number',
  companyNumber: 'Provider Companies House Number',
} as const

/**
 * One row of CQC's HSCA Active Locations file. Every location in it is registered; a dormant one (`Dormant (Y/N)` =
 * `Y`: registered, but not providing care at present) is listed as inactive, so it cannot be chosen, while its
 * registration stays `registered` (CQC has not suspended it). The overall rating and its `Publication Date` are
 * kept, rated by CQC. A care home's beds are its places. CQC's latitude and longitude are not used: locations are
 * placed from the ONS Postcode Directory, like every other source's.
 */
export function cqcLocationsRecord(r: Record<string, string>): RecordResult<ProviderRecord> {
  const c = LOCATIONS_COLUMNS
  const identity = checkIdentity(r, c)
  if ('invalid' in identity) return identity
  const { locationId, providerId, postcode } = identity
  const dormant = flag(r[c.dormant])
  if (dormant === undefined) return { invalid: `"${text(r, c.dormant)}" in "${c.dormant}" is not Y or N` }
  const careHome = flag(r[c.careHome])
  if (careHome === undefined) return { invalid: `"${text(r, c.careHome)}" in "${c.careHome}" is not Y or N` }
  const beds = text(r, c.beds)
  if (beds && !/^\d+$/.test(beds)) return { invalid: `"${beds}" in "${c.beds}" is not a number of beds` }
  const ratingText = text(r, c.rating)
  const rating = RATINGS.get(ratingText.toLowerCase()) ?? null
  if (!rating && !NOT_RATED.has(ratingText.toLowerCase())) return { invalid: `"${ratingText}" is not a CQC rating` }
  const published = text(r, c.publicationDate)
  const ratingDate = parseSheetDate(published)
  if (published && !ratingDate) return { invalid: `"${published}" in "${c.publicationDate}" is not a date` }
  const started = text(r, c.startDate)
  const openedOn = parseSheetDate(started)
  if (started && !openedOn) return { invalid: `"${started}" in "${c.startDate}" is not a date` }

  const known: CqcServiceType[] = []
  let unknown = 0
  for (const column in r) {
    if (!column.startsWith(HSCA_PREFIX) || flag(r[column]) !== true) continue
    const type = BY_HSCA_COLUMN.get(column)
    if (type) known.push(type)
    else unknown++
  }
  const placed = placeByType(known, unknown)
  if ('skip' in placed) return placed
  const address = [text(r, c.street), text(r, c.line2)].filter(Boolean).join(', ')
  return {
    row: {
      sourceRef: locationId,
      organisation: {
        name: text(r, c.providerName),
        sector: sectorOf(r),
        identifier: { scheme: 'cqc-provider', value: providerId },
      },
      service: {
        name: text(r, c.name),
        framework: placed.type.framework!,
        serviceType: placed.type.label,
        status: dormant ? 'inactive' : 'active',
        places: careHome && beds ? Number(beds) : null,
        telephone: null,
        openedOn,
        closedOn: null,
      },
      location: {
        address,
        town: text(r, c.city) || null,
        postcode,
        laName: text(r, c.localAuthority) || null,
      },
      registration: {
        regulator: 'cqc',
        regulatorRef: locationId,
        status: 'registered',
        rating,
        ratingDate: rating ? ratingDate : null,
        ratedBy: rating ? 'CQC' : null,
      },
    },
  }
}
