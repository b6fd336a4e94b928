import { formatDate } from '../../../platform/index.ts'
import { isChoiceFramework } from '../frameworks.ts'
import type { LocationPrecision, RegistrationStatus, ServiceStatus } from '../tables.ts'
import type { IdentifierRow, LocationRow, ServiceRow } from './oruk.queries.ts'
import {
  frameworkTerm,
  precisionTerm,
  ratingTerm,
  registrationTerm,
  serviceTypeTerm,
  stableUuid,
  type Taxonomy,
  type TaxonomyTerm,
} from './oruk.taxonomy.ts'

// Rows → Open Referral UK objects (HSDS 3.0, UK profile). Pure functions; the schemas they must satisfy are the
// compiled ones in ../shared/standards/oruk/ (service.json, service_list.json, service_at_location*.json, …).

/** A taxonomy term as HSDS publishes it. */
export interface OrukTaxonomyTerm {
  id: string
  name: string
  description: string
  parent_id?: string
  taxonomy: string
  taxonomy_id: string
  term: string
}

export interface OrukTaxonomy {
  id: string
  name: string
  description: string
  version: string
  taxonomy_terms?: OrukTaxonomyTerm[]
}

export interface OrukAttribute {
  id: string
  link_id: string
  link_type: string
  taxonomy_term_id: string
  taxonomy_term: OrukTaxonomyTerm
}

export interface OrukOrganization {
  id: string
  name: string
  description: string
  email?: string
  website?: string
  organization_identifiers?: {
    id: string
    organization_id: string
    identifier_scheme?: string
    identifier_type: string
    identifier: string
  }[]
}

export interface OrukLocation {
  id: string
  location_type: 'physical'
  name: string
  description: string
  latitude?: number
  longitude?: number
  addresses?: {
    id: string
    location_id: string
    address_1: string
    city: string
    state_province: string
    postal_code: string
    country: string
    address_type: 'physical'
  }[]
  accessibility?: { id: string; location_id: string; description: string }[]
  attributes?: OrukAttribute[]
}

/** A service's one-to-one fields, as list endpoints give them. */
export interface OrukServiceSummary {
  id: string
  organization_id: string
  name: string
  description?: string
  url?: string
  email?: string
  status: ServiceStatus
  accreditations?: string
  last_modified: string
  organization: OrukOrganization
}

export interface OrukServiceAtLocation {
  id: string
  service_id: string
  location_id: string
  location: OrukLocation
  service?: OrukServiceSummary | OrukService
}

/** A fully nested service. */
export interface OrukService extends OrukServiceSummary {
  schedules: { id: string; service_id: string; description: string }[]
  service_areas: never[]
  service_at_locations?: OrukServiceAtLocation[]
  languages: never[]
  funding: never[]
  cost_options: never[]
  contacts: {
    id: string
    service_id: string
    name: string
    /** HSDS 3.0's phones, which the UK profile's compiled contact does not list but allows. */
    phones: { id: string; contact_id: string; number: string; type: 'voice' }[]
  }[]
  attributes: OrukAttribute[]
}

export function toOrukTaxonomy(t: Taxonomy, terms?: TaxonomyTerm[]): OrukTaxonomy {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    version: t.version,
    ...(terms ? { taxonomy_terms: terms.map(toOrukTerm) } : {}),
  }
}

export function toOrukTerm(t: TaxonomyTerm): OrukTaxonomyTerm {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    ...(t.parentId ? { parent_id: t.parentId } : {}),
    taxonomy: t.taxonomy.name,
    taxonomy_id: t.taxonomy.id,
    term: t.name,
  }
}

function attribute(linkId: string, linkType: string, term: TaxonomyTerm): OrukAttribute {
  return {
    id: stableUuid(`attribute:${linkId}:${term.id}`),
    link_id: linkId,
    link_type: linkType,
    taxonomy_term_id: term.id,
    taxonomy_term: toOrukTerm(term),
  }
}

/** Only an absolute http(s) address passes the schemas' `uri` format; anything else is left out. */
function webAddress(value: string | null): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

function emailAddress(value: string | null): string | undefined {
  return value && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : undefined
}

/** org-id.guide schemes for the identifiers the regulators' files give (https://org-id.guide). */
const IDENTIFIER_SCHEMES: Record<string, { scheme?: string; type: string }> = {
  ods: { scheme: 'GB-NHS', type: 'NHS Organisation Data Service code' },
  'ods-epraccur': { scheme: 'GB-NHS', type: 'NHS Organisation Data Service code' },
  urn: { scheme: 'GB-EDU', type: 'DfE unique reference number (URN)' },
  gias: { scheme: 'GB-EDU', type: 'DfE unique reference number (URN)' },
  ofsted: { type: 'Ofsted unique reference number (URN)' },
  'ofsted-childcare': { type: 'Ofsted unique reference number (URN)' },
  'ofsted-rp': { type: 'Ofsted registered person URN' },
}

/** The org-id.guide scheme of one of our identifier schemes (GB-NHS for ODS codes), when it has one. */
export function orgIdScheme(scheme: string): string | undefined {
  return IDENTIFIER_SCHEMES[scheme]?.scheme ?? (/^[A-Z]{2}-[A-Z0-9]+$/.test(scheme) ? scheme : undefined)
}

function identifierOf(organisationId: string, row: IdentifierRow) {
  const known = IDENTIFIER_SCHEMES[row.scheme]
  const scheme = orgIdScheme(row.scheme)
  return {
    id: stableUuid(`organization-identifier:${row.scheme}:${row.value}`),
    organization_id: organisationId,
    ...(scheme ? { identifier_scheme: scheme } : {}),
    identifier_type: known?.type ?? row.scheme,
    identifier: row.value,
  }
}

export function toOrganization(row: ServiceRow, identifiers?: IdentifierRow[]): OrukOrganization {
  const email = emailAddress(row.organisation_email)
  const website = webAddress(row.organisation_website)
  return {
    id: row.organisation_id,
    name: row.organisation_name,
    description: row.organisation_description ?? '',
    ...(email ? { email } : {}),
    ...(website ? { website } : {}),
    ...(identifiers ? { organization_identifiers: identifiers.map((i) => identifierOf(row.organisation_id, i)) } : {}),
  }
}

const REGULATORS: Record<string, { name: string; ref: string }> = {
  'nhs-ods': { name: 'the NHS Organisation Data Service', ref: 'ODS code' },
  ofsted: { name: 'Ofsted', ref: 'URN' },
  dfe: { name: 'the Department for Education (Get Information about Schools)', ref: 'URN' },
  cqc: { name: 'the Care Quality Commission', ref: 'location ID' },
  rsh: { name: 'the Regulator of Social Housing', ref: 'registration number' },
}

const REGISTRATION_WORDS: Record<RegistrationStatus, (regulator: string) => string> = {
  registered: (r) => `Registered with ${r}`,
  suspended: (r) => `Registration with ${r} suspended`,
  cancelled: (r) => `Registration with ${r} cancelled`,
  proposed: (r) => `Proposed: not yet registered with ${r}`,
  'not-required': () => 'Needs no registration with a regulator',
}

/**
 * The regulator's registration and latest rating in words, for the profile's `accreditations` (free text): the
 * same facts are also attributes with terms of the registration-status and ratings taxonomies.
 */
export function accreditationsOf(row: ServiceRow): string | undefined {
  if (!row.regulator || !row.registration_status) return undefined
  const regulator = REGULATORS[row.regulator] ?? { name: row.regulator, ref: 'reference' }
  let text = `${REGISTRATION_WORDS[row.registration_status](regulator.name)} (${regulator.ref} ${row.regulator_ref}).`
  if (row.rating) {
    const by = [row.rated_by, row.rating_date ? formatDate(row.rating_date) : null].filter(Boolean).join(', ')
    text += ` Latest rating: ${row.rating}${by ? ` (${by})` : ''}.`
  }
  return text
}

export function toServiceSummary(row: ServiceRow): OrukServiceSummary {
  const url = webAddress(row.url)
  const email = emailAddress(row.email)
  const accreditations = accreditationsOf(row)
  return {
    id: row.id,
    organization_id: row.organisation_id,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    ...(url ? { url } : {}),
    ...(email ? { email } : {}),
    status: row.status,
    ...(accreditations ? { accreditations } : {}),
    last_modified: row.imported_at.toISOString(),
    organization: toOrganization(row),
  }
}

/** The terms that describe a service: its Choice Framework, its type, its registration and its rating. */
export function serviceAttributes(row: ServiceRow): OrukAttribute[] {
  const attributes: OrukAttribute[] = []
  if (isChoiceFramework(row.framework)) {
    attributes.push(attribute(row.id, 'choice_framework', frameworkTerm(row.framework)))
    attributes.push(attribute(row.id, 'service_type', serviceTypeTerm(row.framework, row.service_type)))
  }
  if (row.registration_status) {
    attributes.push(attribute(row.id, 'registration_status', registrationTerm(row.registration_status)))
  }
  if (row.rating) attributes.push(attribute(row.id, 'rating', ratingTerm(row.rating)))
  return attributes
}

/** Says how precise the coordinates are, since HSDS's location has no field for it. */
export function describePrecision(
  precision: LocationPrecision | null,
  place: { outcode: string | null; postcode: string | null },
): string {
  if (precision === 'outcode') {
    const district = place.outcode ? `the ${place.outcode} postcode district` : 'the postcode district'
    return `Approximate: the coordinates are the centre of ${district}, not the address itself.`
  }
  if (precision === 'exact') {
    const postcode = place.postcode ? `the postcode ${place.postcode}` : 'the postcode'
    return `The coordinates are the point of ${postcode} in the ONS Postcode Directory, near the address.`
  }
  return 'The coordinates of this location are not known.'
}

/** A location: brief for lists, with its address, accessibility and precision attribute when `full`. */
export function toLocation(
  loc: LocationRow,
  service: { name: string; accessibility: string | null },
  full: boolean,
): OrukLocation {
  const hasPoint = loc.latitude !== null && loc.longitude !== null && loc.precision !== null
  const location: OrukLocation = {
    id: loc.location_id,
    location_type: 'physical',
    name: service.name,
    description: describePrecision(hasPoint ? loc.precision : null, loc),
    ...(hasPoint ? { latitude: loc.latitude!, longitude: loc.longitude! } : {}),
  }
  if (!full) return location
  location.addresses = [
    {
      id: stableUuid(`address:${loc.location_id}`),
      location_id: loc.location_id,
      address_1: loc.address,
      city: loc.town ?? '',
      state_province: loc.la_name ?? '',
      postal_code: loc.postcode ?? '',
      country: 'GB',
      address_type: 'physical',
    },
  ]
  if (service.accessibility) {
    location.accessibility = [
      {
        id: stableUuid(`accessibility:${loc.location_id}`),
        location_id: loc.location_id,
        description: service.accessibility,
      },
    ]
  }
  location.attributes =
    hasPoint && loc.precision ? [attribute(loc.location_id, 'coordinate_precision', precisionTerm(loc.precision))] : []
  return location
}

/** A fully nested service: organisation with identifiers, locations with addresses, contacts, schedules, terms. */
export function toFullService(row: ServiceRow, locations: LocationRow[], identifiers: IdentifierRow[]): OrukService {
  const contactId = stableUuid(`contact:${row.id}`)
  return {
    ...toServiceSummary(row),
    organization: toOrganization(row, identifiers),
    schedules: row.opening_times
      ? [{ id: stableUuid(`schedule:${row.id}`), service_id: row.id, description: row.opening_times }]
      : [],
    service_areas: [],
    service_at_locations: locations.map((loc) => ({
      id: loc.service_at_location_id,
      service_id: row.id,
      location_id: loc.location_id,
      location: toLocation(loc, row, true),
    })),
    languages: [],
    funding: [],
    cost_options: [],
    contacts: row.telephone
      ? [
          {
            id: contactId,
            service_id: row.id,
            name: row.name,
            phones: [
              { id: stableUuid(`phone:${row.id}`), contact_id: contactId, number: row.telephone, type: 'voice' },
            ],
          },
        ]
      : [],
    attributes: serviceAttributes(row),
  }
}

/** The paging envelope of every list (openapi.json: components.schemas.Page). */
export interface OrukPage<T> {
  total_items: number
  total_pages: number
  page_number: number
  size: number
  first_page: boolean
  last_page: boolean
  empty: boolean
  contents: T[]
}

/**
 * A page: `size` is how many entities this page holds and `empty` whether it holds none (a page past the last one
 * is empty, not an error); `total_pages` is 0 when nothing matches.
 */
export function toPage<T>(contents: T[], total: number, page: number, perPage: number): OrukPage<T> {
  const totalPages = Math.ceil(total / perPage)
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}
