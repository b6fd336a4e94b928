import type { Selectable } from 'kysely'
import { moduleDb, type AnyDb } from '../../../platform/index.ts'
import type { DirectoryTables, SchoolCensusTable, SchoolKs4ResultsTable, SchoolKs5ResultsTable } from '../tables.ts'
import { DFE_MARKERS } from './dfe-values.ts'
import { findNewestPerformanceRow } from './performance.queries.ts'

export { DFE_MARKERS }

/**
 * Why a measure is blank, by its field name below: DfE's marker (`SUPP` suppressed, `NE` no entries, `NA` not
 * applicable, …; meanings in `DFE_MARKERS`). A blank measure with no marker was blank in the file.
 */
export type NotPublished<T> = Partial<Record<keyof T, string>>

/** What a school's page shows of its GCSE (KS4) results for one academic year. */
export interface Ks4Results {
  academicYear: string
  schoolName: string | null
  special: boolean
  pupils: number | null
  attainment8: number | null
  /** Progress 8 with its published 95% confidence interval: a score is only "above average" if `lower` > 0. */
  progress8: number | null
  progress8Lower: number | null
  progress8Upper: number | null
  progress8Pupils: number | null
  /** DfE's banding: 1 well above average, 2 above, 3 average, 4 below, 5 well below. */
  progress8Banding: number | null
  pctEnglishMathsGrade4: number | null
  pctEnglishMathsGrade5: number | null
  pctEbaccEntered: number | null
  ebaccAps: number | null
  pctEbaccGrade4: number | null
  pctEbaccGrade5: number | null
  notPublished: NotPublished<Ks4Results>
  sourceFile: string
}

/** What a school's or college's page shows of its 16-18 (KS5) results for one academic year. */
export interface Ks5Results {
  academicYear: string
  schoolName: string | null
  consortium: boolean
  students: number | null
  alevelStudents: number | null
  alevelAps: number | null
  alevelGrade: string | null
  academicStudents: number | null
  academicAps: number | null
  academicGrade: string | null
  appliedGeneralStudents: number | null
  appliedGeneralAps: number | null
  appliedGeneralGrade: string | null
  techLevelStudents: number | null
  techLevelAps: number | null
  techLevelGrade: string | null
  best3Aps: number | null
  best3Grade: string | null
  pctAabFacilitating: number | null
  /** A level value added with its confidence interval, in grades. */
  alevelValueAdded: number | null
  alevelValueAddedLower: number | null
  alevelValueAddedUpper: number | null
  englishProgress: number | null
  mathsProgress: number | null
  pctRetainedAlevel: number | null
  pctRetainedAcademic: number | null
  pctRetainedAppliedGeneral: number | null
  pctRetainedTechLevel: number | null
  notPublished: NotPublished<Ks5Results>
  sourceFile: string
}

/** A school's pupils as the January census counts them. */
export interface SchoolCensus {
  academicYear: string
  schoolType: string | null
  pupils: number | null
  girls: number | null
  boys: number | null
  pctGirls: number | null
  pctBoys: number | null
  ehcPlan: number | null
  pctEhcPlan: number | null
  senSupport: number | null
  pctSenSupport: number | null
  eal: number | null
  pctEal: number | null
  englishFirstLanguage: number | null
  pctEnglishFirstLanguage: number | null
  languageUnclassified: number | null
  pctLanguageUnclassified: number | null
  fsm: number | null
  fsmEver6Years: number | null
  pctFsmEver6Years: number | null
  notPublished: NotPublished<SchoolCensus>
  sourceFile: string
}

/** The newest year of each DfE data set for one school; null where none has been imported for its URN. */
export interface SchoolPerformance {
  urn: number
  ks4: Ks4Results | null
  ks5: Ks5Results | null
  census: SchoolCensus | null
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

function notPublished<T>(markers: Record<string, string>): NotPublished<T> {
  return Object.fromEntries(Object.entries(markers).map(([k, v]) => [camel(k), v])) as NotPublished<T>
}

function toKs4Results(row: Selectable<SchoolKs4ResultsTable>): Ks4Results {
  return {
    academicYear: row.academic_year,
    schoolName: row.school_name,
    special: row.record_type === 2,
    pupils: row.pupils,
    attainment8: row.attainment8,
    progress8: row.progress8,
    progress8Lower: row.progress8_lower,
    progress8Upper: row.progress8_upper,
    progress8Pupils: row.progress8_pupils,
    progress8Banding: row.progress8_banding,
    pctEnglishMathsGrade4: row.pct_english_maths_grade4,
    pctEnglishMathsGrade5: row.pct_english_maths_grade5,
    pctEbaccEntered: row.pct_ebacc_entered,
    ebaccAps: row.ebacc_aps,
    pctEbaccGrade4: row.pct_ebacc_grade4,
    pctEbaccGrade5: row.pct_ebacc_grade5,
    notPublished: notPublished(row.markers),
    sourceFile: row.source_file,
  }
}

function toKs5Results(row: Selectable<SchoolKs5ResultsTable>): Ks5Results {
  return {
    academicYear: row.academic_year,
    schoolName: row.school_name,
    consortium: row.record_type === 3,
    students: row.students,
    alevelStudents: row.alevel_students,
    alevelAps: row.alevel_aps,
    alevelGrade: row.alevel_grade,
    academicStudents: row.academic_students,
    academicAps: row.academic_aps,
    academicGrade: row.academic_grade,
    appliedGeneralStudents: row.applied_general_students,
    appliedGeneralAps: row.applied_general_aps,
    appliedGeneralGrade: row.applied_general_grade,
    techLevelStudents: row.tech_level_students,
    techLevelAps: row.tech_level_aps,
    techLevelGrade: row.tech_level_grade,
    best3Aps: row.best3_aps,
    best3Grade: row.best3_grade,
    pctAabFacilitating: row.pct_aab_facilitating,
    alevelValueAdded: row.alevel_value_added,
    alevelValueAddedLower: row.alevel_value_added_lower,
    alevelValueAddedUpper: row.alevel_value_added_upper,
    englishProgress: row.english_progress,
    mathsProgress: row.maths_progress,
    pctRetainedAlevel: row.pct_retained_alevel,
    pctRetainedAcademic: row.pct_retained_academic,
    pctRetainedAppliedGeneral: row.pct_retained_applied_general,
    pctRetainedTechLevel: row.pct_retained_tech_level,
    notPublished: notPublished(row.markers),
    sourceFile: row.source_file,
  }
}

function toSchoolCensus(row: Selectable<SchoolCensusTable>): SchoolCensus {
  return {
    academicYear: row.academic_year,
    schoolType: row.school_type,
    pupils: row.pupils,
    girls: row.girls,
    boys: row.boys,
    pctGirls: row.pct_girls,
    pctBoys: row.pct_boys,
    ehcPlan: row.ehc_plan,
    pctEhcPlan: row.pct_ehc_plan,
    senSupport: row.sen_support,
    pctSenSupport: row.pct_sen_support,
    eal: row.eal,
    pctEal: row.pct_eal,
    englishFirstLanguage: row.english_first_language,
    pctEnglishFirstLanguage: row.pct_english_first_language,
    languageUnclassified: row.language_unclassified,
    pctLanguageUnclassified: row.pct_language_unclassified,
    fsm: row.fsm,
    fsmEver6Years: row.fsm_ever_6_years,
    pctFsmEver6Years: row.pct_fsm_ever_6_years,
    notPublished: notPublished(row.markers),
    sourceFile: row.source_file,
  }
}

/**
 * A school's newest KS4 and 16-18 results and census figures, by URN (for the provider page). Works whether or not
 * the school is in the directory yet: the data sets are keyed by URN alone.
 */
export async function schoolPerformance(db: AnyDb, urn: number): Promise<SchoolPerformance> {
  const directory = moduleDb<DirectoryTables>(db)
  const [ks4, ks5, census] = await Promise.all([
    findNewestPerformanceRow(directory, 'directory.school_ks4_results', urn),
    findNewestPerformanceRow(directory, 'directory.school_ks5_results', urn),
    findNewestPerformanceRow(directory, 'directory.school_census', urn),
  ])
  return {
    urn,
    ks4: ks4 ? toKs4Results(ks4) : null,
    ks5: ks5 ? toKs5Results(ks5) : null,
    census: census ? toSchoolCensus(census) : null,
  }
}
