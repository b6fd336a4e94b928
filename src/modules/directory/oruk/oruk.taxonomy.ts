import { createHash } from 'node:crypto'
import { CHOICE_FRAMEWORKS, type ChoiceFramework } from '../frameworks.ts'
import type { LocationPrecision, RegistrationStatus } from '../tables.ts'

// OpenChoice's own small taxonomy for Open Referral UK, built from what the directory already knows: the five
// Choice Frameworks with the provider types the regulators' files name under them, the regulator's registration
// status, the regulator's latest rating, and how precise a location's coordinates are. HSDS wants every term and
// every linked record (attribute, address, contact) to have a uuid; none of these have a table, so their ids are
// name-based (RFC 9562 version 5) and stay the same across restarts, imports and servers.

/** The namespace of every name-based id OpenChoice publishes (a random uuid, fixed for ever). */
const NAMESPACE = Buffer.from('5f0c7a2e9b4d4c1e8a3f6d2b7e914c58', 'hex')

/** A name-based uuid (RFC 9562 version 5: SHA-1 of the namespace and the name). */
export function uuidV5(namespace: Buffer, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A stable uuid for a name, such as `term:framework:nhs-care` or `address:<location id>`. */
export function stableUuid(name: string): string {
  return uuidV5(NAMESPACE, name)
}

export type TaxonomyKey = 'service-types' | 'registration-status' | 'ratings' | 'location-precision'

/** What a term means in the directory's own columns: used to filter services by taxonomy term. */
export type TermMeaning =
  | { kind: 'framework'; framework: ChoiceFramework }
  | { kind: 'service-type'; framework: ChoiceFramework; serviceType: string }
  | { kind: 'registration'; status: RegistrationStatus }
  | { kind: 'rating'; rating: string }
  | { kind: 'precision'; precision: LocationPrecision }

export interface Taxonomy {
  key: TaxonomyKey
  id: string
  name: string
  description: string
  version: string
}

export interface TaxonomyTerm {
  id: string
  name: string
  description: string
  parentId: string | null
  taxonomy: Taxonomy
  meaning: TermMeaning
}

const VERSION = '2026-11'

function taxonomy(key: TaxonomyKey, name: string, description: string): Taxonomy {
  return { key, id: stableUuid(`taxonomy:${key}`), name, description, version: VERSION }
}

export const TAXONOMIES: Record<TaxonomyKey, Taxonomy> = {
  'service-types': taxonomy(
    'service-types',
    'OpenChoice service types',
    'The five Choice Frameworks (the areas where people in England have a right to choose) and, under each, ' +
      "the types of provider the regulators' open data names: GP practices (NHS Organisation Data Service), " +
      'types of establishment (DfE Get Information about Schools) and childcare provider types (Ofsted).',
  ),
  'registration-status': taxonomy(
    'registration-status',
    'OpenChoice regulator registration status',
    "Whether the service's regulator has it registered, as the regulator's latest published file says.",
  ),
  ratings: taxonomy(
    'ratings',
    'OpenChoice regulator ratings',
    "The regulator's latest overall rating of the service, in the regulator's own words (Ofsted: Outstanding, " +
      'Good, Requires improvement, Inadequate).',
  ),
  'location-precision': taxonomy(
    'location-precision',
    'OpenChoice location precision',
    "How precise a location's latitude and longitude are.",
  ),
}

const TAXONOMY_ORDER: TaxonomyKey[] = ['service-types', 'registration-status', 'ratings', 'location-precision']

/** The Choice Frameworks in words, as the rest of the service names them. */
export const FRAMEWORK_NAMES: Record<ChoiceFramework, { name: string; description: string }> = {
  'nhs-care': {
    name: 'NHS care',
    description: 'NHS services people have a right to choose, such as the GP practice they register with.',
  },
  'social-housing': {
    name: 'Social housing',
    description: 'Social housing providers: councils and housing associations that let homes.',
  },
  'social-care': {
    name: 'Social care',
    description: 'Adult social care and support that people can choose, including with a personal budget.',
  },
  education: {
    name: 'School places',
    description: 'Schools that parents can express a preference for, as Get Information about Schools lists them.',
  },
  'early-education': {
    name: 'Funded early education and childcare',
    description: 'Nurseries and other childcare registered with Ofsted, where funded early education can be used.',
  },
}

const SOURCE_OF_TYPES: Partial<Record<ChoiceFramework, string>> = {
  'nhs-care': 'the NHS Organisation Data Service',
  education: "Get Information about Schools (DfE's type of establishment)",
  'early-education': "Ofsted's provider type",
}

const REGISTRATION: Record<RegistrationStatus, { name: string; description: string }> = {
  registered: { name: 'Registered', description: 'The regulator has the service registered: it may operate.' },
  suspended: {
    name: 'Suspended',
    description: "The service's registration is suspended or dormant: it may not operate at the moment.",
  },
  cancelled: { name: 'Cancelled', description: "The service's registration has ended: it no longer operates." },
  proposed: { name: 'Proposed', description: 'The service is proposed: the regulator has not yet registered it.' },
  'not-required': {
    name: 'Registration not required',
    description: 'This kind of service does not need to be registered with a regulator.',
  },
}

const PRECISION: Record<LocationPrecision, { name: string; description: string }> = {
  exact: {
    name: 'Postcode point',
    description:
      "The coordinates are the postcode's own point in the ONS Postcode Directory: usually within about 100 metres " +
      'of the address.',
  },
  outcode: {
    name: 'Postcode district centre (approximate)',
    description:
      'The coordinates are the centre of the postcode district (outcode), such as LS1: approximate, and can be ' +
      'a few miles from the address.',
  },
}

function term(
  tax: TaxonomyKey,
  key: string,
  name: string,
  description: string,
  meaning: TermMeaning,
  parentId: string | null = null,
): TaxonomyTerm {
  return { id: stableUuid(`term:${key}`), name, description, parentId, taxonomy: TAXONOMIES[tax], meaning }
}

export const frameworkTerm = (f: ChoiceFramework) =>
  term('service-types', `framework:${f}`, FRAMEWORK_NAMES[f].name, FRAMEWORK_NAMES[f].description, {
    kind: 'framework',
    framework: f,
  })

export function serviceTypeTerm(framework: ChoiceFramework, serviceType: string): TaxonomyTerm {
  const source = SOURCE_OF_TYPES[framework] ?? "the regulator's data"
  return term(
    'service-types',
    `service-type:${framework}:${serviceType}`,
    serviceType,
    `A type of provider under ${FRAMEWORK_NAMES[framework].name}, as ${source} names it.`,
    { kind: 'service-type', framework, serviceType },
    frameworkTerm(framework).id,
  )
}

export const registrationTerm = (status: RegistrationStatus) =>
  term('registration-status', `registration:${status}`, REGISTRATION[status].name, REGISTRATION[status].description, {
    kind: 'registration',
    status,
  })

export const ratingTerm = (rating: string) =>
  term('ratings', `rating:${rating}`, rating, `The regulator's latest overall rating is "${rating}".`, {
    kind: 'rating',
    rating,
  })

export const precisionTerm = (p: LocationPrecision) =>
  term('location-precision', `precision:${p}`, PRECISION[p].name, PRECISION[p].description, {
    kind: 'precision',
    precision: p,
  })

/** The values in the directory that terms are made from (the service types and ratings present). */
export interface TaxonomyValues {
  serviceTypes: { framework: ChoiceFramework; serviceType: string }[]
  ratings: string[]
}

/** Every term, in a stable order: by taxonomy, each parent followed by its children, children by name. */
export function buildTerms(values: TaxonomyValues): TaxonomyTerm[] {
  const byName = (a: string, b: string) => a.localeCompare(b, 'en-GB')
  const terms: TaxonomyTerm[] = []
  for (const f of CHOICE_FRAMEWORKS) {
    terms.push(frameworkTerm(f))
    const types = values.serviceTypes.filter((t) => t.framework === f).map((t) => t.serviceType)
    for (const type of [...new Set(types)].sort(byName)) terms.push(serviceTypeTerm(f, type))
  }
  for (const status of Object.keys(REGISTRATION) as RegistrationStatus[]) terms.push(registrationTerm(status))
  for (const rating of [...new Set(values.ratings)].sort(byName)) terms.push(ratingTerm(rating))
  for (const p of Object.keys(PRECISION) as LocationPrecision[]) terms.push(precisionTerm(p))
  return terms.sort((a, b) => TAXONOMY_ORDER.indexOf(a.taxonomy.key) - TAXONOMY_ORDER.indexOf(b.taxonomy.key))
}

export function listTaxonomies(): Taxonomy[] {
  return TAXONOMY_ORDER.map((k) => TAXONOMIES[k])
}

export function findTaxonomy(id: string): Taxonomy | undefined {
  return listTaxonomies().find((t) => t.id === id)
}
