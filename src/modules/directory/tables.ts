import type { Generated, Selectable } from 'kysely'
import type { JSONColumnType } from 'kysely'
import type { ChoiceFramework } from './frameworks.ts'

/** Open Referral UK's service statuses. */
export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed'
/** What the regulator says: only a registered service (or one that needs no registration) may be chosen or paid. */
export type RegistrationStatus = 'registered' | 'suspended' | 'cancelled' | 'proposed' | 'not-required'
export type LocationPrecision = 'exact' | 'outcode'

export interface ImportRunsTable {
  id: Generated<string>
  source: string
  file_name: string
  file_sha256: string
  started_at: Date
}

export interface OrganisationsTable {
  id: Generated<string>
  name: string
  description: string | null
  sector: 'public' | 'private' | 'voluntary' | 'mutual' | 'social-enterprise' | null
  website: string | null
  email: string | null
}

export interface OrganisationIdentifiersTable {
  organisation_id: string
  scheme: string
  value: string
}

export interface LocationsTable {
  id: Generated<string>
  address: string
  town: string | null
  postcode: string | null
  outcode: string | null
  latitude: number | null
  longitude: number | null
  precision: LocationPrecision | null
  la_code: string | null
  la_name: string | null
  lsoa_code: string | null
  /** The source that gave the address (`gias`, `dfe-ks5`, …): a file leaves alone an address another file gave. */
  address_source: string | null
}

export interface ServicesTable {
  id: Generated<string>
  organisation_id: string
  source: string
  source_ref: string
  name: string
  framework: ChoiceFramework
  service_type: string
  status: ServiceStatus
  places: number | null
  telephone: string | null
  opened_on: Date | null
  closed_on: Date | null
  description: string | null
  opening_times: string | null
  accessibility: string | null
  email: string | null
  url: string | null
  source_file: string
  import_run_id: string | null
  imported_at: Generated<Date>
  unlisted_at: Date | null
}

export interface ServiceAtLocationsTable {
  id: Generated<string>
  service_id: string
  location_id: string
}

export interface RegistrationsTable {
  service_id: string
  regulator: string
  regulator_ref: string
  status: RegistrationStatus
  rating: string | null
  rating_date: Date | null
  rated_by: string | null
  source_file: string
  import_run_id: string | null
}

export interface ServiceChangesTable {
  id: Generated<string>
  service_id: string
  import_run_id: string | null
  changed_at: Date
  change: 'listed' | 'updated' | 'unlisted'
  field: string | null
  old_value: string | null
  new_value: string | null
}

export interface OutcodesTable {
  outcode: string
  latitude: number
  longitude: number
}

/** A UK postcode from the ONS Postcode Directory; coordinates are null where ONSPD has no grid reference. */
export interface PostcodesTable {
  postcode: string
  outcode: string
  latitude: number | null
  longitude: number | null
  la_code: string | null
  lsoa11_code: string | null
  lsoa21_code: string | null
  country_code: string | null
  /** The first day of the month ONSPD says the postcode was terminated; null while it is live. */
  terminated_on: Date | null
}

/** English Indices of Deprivation 2019 for one LSOA (2011); each file's columns are null until it is imported. */
export interface LsoaDeprivationTable {
  lsoa_code: string
  lsoa_name: string
  la_code: string
  la_name: string
  imd_rank: number | null
  imd_decile: number | null
  income_rank: number | null
  income_decile: number | null
  employment_rank: number | null
  employment_decile: number | null
  education_rank: number | null
  education_decile: number | null
  health_rank: number | null
  health_decile: number | null
  crime_rank: number | null
  crime_decile: number | null
  barriers_rank: number | null
  barriers_decile: number | null
  living_environment_rank: number | null
  living_environment_decile: number | null
  population_total: number | null
  population_children: number | null
  population_16_59: number | null
  population_60_plus: number | null
  population_working_age: number | null
}

/** The tables the directory module owns; its queries see only these. */
export interface DirectoryTables {
  'directory.import_runs': ImportRunsTable
  'directory.organisations': OrganisationsTable
  'directory.organisation_identifiers': OrganisationIdentifiersTable
  'directory.locations': LocationsTable
  'directory.services': ServicesTable
  'directory.service_at_locations': ServiceAtLocationsTable
  'directory.registrations': RegistrationsTable
  'directory.service_changes': ServiceChangesTable
  'directory.outcodes': OutcodesTable
  'directory.postcodes': PostcodesTable
  'directory.lsoa_deprivation': LsoaDeprivationTable
  'directory.school_ks4_results': SchoolKs4ResultsTable
  'directory.school_ks5_results': SchoolKs5ResultsTable
  'directory.school_census': SchoolCensusTable
  'directory.school_links': SchoolLinksTable
}

export type ServiceRow = Selectable<ServicesTable>

// DfE performance tables and school census (issue #4): one row per school (URN) and academic year. No foreign key:
// the URN joins a school whenever the school is in the directory, before or after its results arrive.

/** Why a published measure is blank, keyed by our column name: DfE's marker (`SUPP`, `NE`, `NA`, …), never a 0. */
export type PerformanceMarkers = Record<string, string>

interface PerformanceRowBase {
  urn: number
  /** `2018/19`: taken from the file's name (DfE's school-level files carry no year column). */
  academic_year: string
  markers: JSONColumnType<PerformanceMarkers>
  /** The file that last changed this row, and when. */
  source_file: string
  imported_at: Date
}

export interface SchoolKs4ResultsTable extends PerformanceRowBase {
  /** DfE RECTYPE: 1 mainstream school, 2 special school. */
  record_type: number
  la_number: string
  estab_number: string
  school_name: string | null
  institution_type: string | null
  closed: boolean | null
  pupils: number | null
  attainment8: number | null
  progress8_pupils: number | null
  progress8: number | null
  progress8_lower: number | null
  progress8_upper: number | null
  progress8_banding: number | null
  pct_english_maths_grade4: number | null
  pct_english_maths_grade5: number | null
  pct_ebacc_entered: number | null
  ebacc_aps: number | null
  pct_ebacc_grade4: number | null
  pct_ebacc_grade5: number | null
}

export interface SchoolKs5ResultsTable extends PerformanceRowBase {
  /** DfE RECTYPE: 1 school or college, 3 sixth-form consortium. */
  record_type: number
  la_number: string
  estab_number: string
  school_name: string | null
  institution_type: string | null
  // The address as the KS5 file gives it, for a later step to create or enrich the school's location.
  address1: string | null
  address2: string | null
  address3: string | null
  town: string | null
  postcode: string | null
  telephone: string | null
  /** A consortium's member schools by DfE number (LA + establishment), which DfE lists in its address columns. */
  consortium_members: string[] | null
  students: number | null
  alevel_students: number | null
  alevel_aps: number | null
  alevel_grade: string | null
  academic_students: number | null
  academic_aps: number | null
  academic_grade: string | null
  applied_general_students: number | null
  applied_general_aps: number | null
  applied_general_grade: string | null
  tech_level_students: number | null
  tech_level_aps: number | null
  tech_level_grade: string | null
  best3_aps: number | null
  best3_grade: string | null
  pct_aab_facilitating: number | null
  alevel_value_added: number | null
  alevel_value_added_lower: number | null
  alevel_value_added_upper: number | null
  english_progress: number | null
  maths_progress: number | null
  pct_retained_alevel: number | null
  pct_retained_academic: number | null
  pct_retained_applied_general: number | null
  pct_retained_tech_level: number | null
}

export interface SchoolCensusTable extends PerformanceRowBase {
  la_number: string
  estab_number: string
  school_type: string | null
  pupils: number | null
  girls: number | null
  boys: number | null
  pct_girls: number | null
  pct_boys: number | null
  ehc_plan: number | null
  pct_ehc_plan: number | null
  sen_support: number | null
  pct_sen_support: number | null
  eal: number | null
  pct_eal: number | null
  english_first_language: number | null
  pct_english_first_language: number | null
  language_unclassified: number | null
  pct_language_unclassified: number | null
  fsm: number | null
  fsm_ever_6_years: number | null
  pct_fsm_ever_6_years: number | null
}

/**
 * A GIAS link: what `linked_urn` is to `urn` (`Successor`, `Predecessor - merged`, …), as DfE words it. No foreign
 * key: most linked schools are closed and not in the directory.
 */
export interface SchoolLinksTable {
  urn: number
  linked_urn: number
  link_type: string
  link_established_on: Date | null
  /** The linked school's name as the links file gives it. */
  linked_name: string
  source_file: string
  imported_at: Date
}
