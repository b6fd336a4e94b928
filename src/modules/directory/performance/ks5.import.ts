import type { ImportSource, RecordResult } from '../../../platform/index.ts'
import { forgetDirectoryCaches } from '../directory-cache.ts'
import { fillSchoolAddresses } from '../import/school-addresses.ts'
import type { SchoolKs5ResultsTable } from '../tables.ts'
import { RecordReader, type GradeSpec, type NumberSpec, type ParsedRow } from './dfe-values.ts'
import { storePerformanceRowsIn } from './performance.queries.ts'

/** One school's or college's 16-18 row as read from the file; the year and provenance are added when it is stored. */
export type Ks5Row = ParsedRow<SchoolKs5ResultsTable>

type Kind = 'alevel' | 'academic' | 'applied_general' | 'tech_level'
type Ks5Number =
  | 'students'
  | `${Kind}_${'students' | 'aps'}`
  | 'best3_aps'
  | 'pct_aab_facilitating'
  | 'alevel_value_added'
  | 'alevel_value_added_lower'
  | 'alevel_value_added_upper'
  | 'english_progress'
  | 'maths_progress'
  | `pct_retained_${Kind}`
type Ks5Grade = `${Kind}_grade` | 'best3_grade'

// Average point scores per entry on the 2016 16-18 scale: A level A* = 60, E = 10; applied general and tech level
// Distinction* = 50, Pass = 20.
const APS = { kind: 'score', min: 0, max: 60 } as const
// Value added and English and maths progress are in grades: within about ±3 in practice.
const IN_GRADES = { kind: 'score', min: -10, max: 10 } as const
const COUNT = { kind: 'count' } as const
const PERCENT = { kind: 'percent' } as const

// The headline 16-18 measures, under the column names both the 2015/16 (73-column) and the 2016/17 (212-column)
// "england_ks5final" layouts use.
const NUMBERS: readonly NumberSpec<Ks5Number>[] = [
  { field: 'students', column: 'TPUP1618', value: COUNT },
  { field: 'alevel_students', column: 'TALLPUP_ALEV_1618', value: COUNT },
  { field: 'alevel_aps', column: 'TALLPPE_ALEV_1618', value: APS },
  { field: 'academic_students', column: 'TALLPUP_ACAD_1618', value: COUNT },
  { field: 'academic_aps', column: 'TALLPPE_ACAD_1618', value: APS },
  { field: 'applied_general_students', column: 'TALLPUP_AGEN', value: COUNT },
  { field: 'applied_general_aps', column: 'TALLPPE_AGEN', value: APS },
  { field: 'tech_level_students', column: 'TALLPUP_TLEV', value: COUNT },
  { field: 'tech_level_aps', column: 'TALLPPE_TLEV', value: APS },
  { field: 'best3_aps', column: 'TB3PTSE', value: APS },
  { field: 'pct_aab_facilitating', column: 'PTAAB_2FAC', value: PERCENT },
  { field: 'alevel_value_added', column: 'VA_INS_ALEV', value: IN_GRADES },
  { field: 'alevel_value_added_lower', column: 'LCI_INS_ALEV', value: IN_GRADES },
  { field: 'alevel_value_added_upper', column: 'UCI_INS_ALEV', value: IN_GRADES },
  { field: 'english_progress', column: 'PROGEX_E', value: IN_GRADES },
  { field: 'maths_progress', column: 'PROGEX_M', value: IN_GRADES },
  { field: 'pct_retained_alevel', column: 'PT_Retained_ALEV_Ret', value: PERCENT },
  { field: 'pct_retained_academic', column: 'PT_Retained_ACAD_Ret', value: PERCENT },
  { field: 'pct_retained_applied_general', column: 'PT_Retained_AGEN_Ret', value: PERCENT },
  { field: 'pct_retained_tech_level', column: 'PT_Retained_TLEV_Ret', value: PERCENT },
]
// The average result per entry as a grade, beside the point score.
const GRADES_PER_ENTRY: readonly GradeSpec<Ks5Grade>[] = [
  { field: 'alevel_grade', column: 'TALLPPEGRD_ALEV_1618', scale: 'academic' },
  { field: 'academic_grade', column: 'TALLPPEGRD_ACAD_1618', scale: 'academic' },
  { field: 'applied_general_grade', column: 'TALLPPEGRD_AGEN', scale: 'vocational' },
  { field: 'tech_level_grade', column: 'TALLPPEGRD_TLEV', scale: 'vocational' },
  { field: 'best3_grade', column: 'TB3PTSE_GRD', scale: 'academic' },
]

// 2016/17 names the institution type column `NFTYPE/FESITYPE`; other years `NFTYPE`.
const INSTITUTION_TYPE = ['NFTYPE/FESITYPE', 'NFTYPE', 'FESITYPE']
// A consortium row (RECTYPE 3) lists its member schools' DfE numbers (LA + establishment) in these columns,
// in order, where a school's row has its address.
const MEMBER_COLUMNS = [
  'ADDRESS1',
  'ADDRESS2',
  'ADDRESS3',
  'TOWN',
  'PCODE',
  'TELNUM',
  'CONTFLAG',
  ...INSTITUTION_TYPE,
  'RELDENOM',
  'ADMPOL',
  'ADMPOL_2017',
]
const DFE_NUMBER = /^\d{7}$/

/** KS5 record types (RECTYPE) kept: 1 a school or college, 2 a special school, 3 a sixth-form consortium. */
const KEPT_RECORD_TYPES = new Set(['1', '2', '3'])

const ks5Rows = storePerformanceRowsIn('dfe-ks5', 'directory.school_ks5_results')

/**
 * `openchoice import dfe-ks5 <file>`: DfE 16-18 (KS5) performance tables, one row per school or college. Each row's
 * address also fills in that of its school where GIAS gives none (import/school-addresses.ts).
 */
export const dfeKs5Source: ImportSource<Ks5Row> = {
  name: 'dfe-ks5',
  description: 'DfE 16-18 (KS5) performance tables (england_ks5final.csv), named with the academic year',
  layout: {
    kind: 'header',
    required: [
      'RECTYPE',
      'LEA',
      'ESTAB',
      'URN',
      'SCHNAME',
      'ADDRESS1',
      'ADDRESS2',
      'ADDRESS3',
      'TOWN',
      'PCODE',
      'TELNUM',
      ...NUMBERS.map((m) => m.column),
      ...GRADES_PER_ENTRY.map((m) => m.column),
    ],
  },

  parse(record): RecordResult<Ks5Row> {
    const recordType = record.RECTYPE?.trim() ?? ''
    if (recordType === '4') return { skip: 'local authority total' }
    if (recordType === '5' || recordType === '7') return { skip: 'England total' }
    if (!KEPT_RECORD_TYPES.has(recordType)) {
      return {
        invalid: `RECTYPE "${recordType}" is not a KS5 record type (1 to 3 a school, college or consortium, 4 an LA, 5 or 7 England)`,
      }
    }
    const r = new RecordReader(record)
    const urn = r.urn('URN')
    const la_number = r.digits('LEA', 3)
    const estab_number = r.digits('ESTAB', 4)
    const m = r.numbers(NUMBERS)
    const grades = r.grades(GRADES_PER_ENTRY)
    r.checkInterval(
      { value: 'VA_INS_ALEV', lower: 'LCI_INS_ALEV', upper: 'UCI_INS_ALEV' },
      m.alevel_value_added,
      m.alevel_value_added_lower,
      m.alevel_value_added_upper,
    )
    const consortium = recordType === '3'
    const members = consortium
      ? MEMBER_COLUMNS.map((c) => r.text(c)).filter((v): v is string => v !== null && DFE_NUMBER.test(v))
      : null
    const institutionType = r.text(INSTITUTION_TYPE)
    // A school's address: it fills in the location of a school GIAS lists without one (import/school-addresses.ts).
    const address = consortium
      ? { address1: null, address2: null, address3: null, town: null, postcode: null, telephone: null }
      : {
          address1: r.text('ADDRESS1'),
          address2: r.text('ADDRESS2'),
          address3: r.text('ADDRESS3'),
          town: r.text('TOWN'),
          postcode: r.postcode('PCODE'),
          telephone: r.text('TELNUM'),
        }
    if (r.problems.length) return { invalid: r.problems.join('; ') }
    return {
      row: {
        urn,
        record_type: Number(recordType),
        la_number,
        estab_number,
        school_name: r.text('SCHNAME'),
        institution_type: institutionType && !DFE_NUMBER.test(institutionType) ? institutionType : null,
        ...address,
        consortium_members: members,
        ...m,
        ...grades,
        markers: r.markers,
      },
    }
  },

  key: ks5Rows.key,
  async store(trx, rows, run) {
    const counts = await ks5Rows.store(trx, rows, run)
    await fillSchoolAddresses(
      trx,
      run,
      rows.map((r) => r.urn),
    )
    return counts
  },
  // Schools it placed are found by searches near them from now on: cached counts near a place must go.
  async afterCommit(db) {
    forgetDirectoryCaches(db)
  },
}
