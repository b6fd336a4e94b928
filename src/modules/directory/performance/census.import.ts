import type { ImportSource, RecordResult } from '../../../platform/index.ts'
import type { SchoolCensusTable } from '../tables.ts'
import { RecordReader, type NumberSpec, type ParsedRow } from './dfe-values.ts'
import { storePerformanceRowsIn } from './performance.queries.ts'

/** One school's census row as read from the file; the year and provenance are added when it is stored. */
export type CensusRow = ParsedRow<SchoolCensusTable>

type CensusNumber =
  | 'pupils'
  | 'girls'
  | 'boys'
  | 'pct_girls'
  | 'pct_boys'
  | `${'' | 'pct_'}${'ehc_plan' | 'sen_support' | 'eal' | 'english_first_language' | 'language_unclassified'}`
  | 'fsm'
  | 'fsm_ever_6_years'
  | 'pct_fsm_ever_6_years'

const COUNT = { kind: 'count' } as const
const PERCENT = { kind: 'percent' } as const

// The per-school pupil characteristics of DfE's "england_census.csv" (January school census). Percentages are of
// the pupils on roll, as DfE publishes them; the file has a count but no percentage for current FSM eligibility,
// and none is made up here.
const NUMBERS: readonly NumberSpec<CensusNumber>[] = [
  { field: 'pupils', column: 'NOR', value: COUNT },
  { field: 'girls', column: 'NORG', value: COUNT },
  { field: 'boys', column: 'NORB', value: COUNT },
  { field: 'pct_girls', column: 'PNORG', value: PERCENT },
  { field: 'pct_boys', column: 'PNORB', value: PERCENT },
  // SEN with a statement or an education, health and care (EHC) plan; and SEN support without one.
  { field: 'ehc_plan', column: 'TSENELSE', value: COUNT },
  { field: 'pct_ehc_plan', column: 'PSENELSE', value: PERCENT },
  { field: 'sen_support', column: 'TSENELK', value: COUNT },
  { field: 'pct_sen_support', column: 'PSENELK', value: PERCENT },
  // First language: known or believed to be other than English (EAL), English, or unclassified.
  { field: 'eal', column: 'NUMEAL', value: COUNT },
  { field: 'pct_eal', column: 'PNUMEAL', value: PERCENT },
  { field: 'english_first_language', column: 'NUMENGFL', value: COUNT },
  { field: 'pct_english_first_language', column: 'PNUMENGFL', value: PERCENT },
  { field: 'language_unclassified', column: 'NUMUNCFL', value: COUNT },
  { field: 'pct_language_unclassified', column: 'PNUMUNCFL', value: PERCENT },
  // Free school meals: eligible now, and eligible at any time in the last six years (the pupil premium measure).
  { field: 'fsm', column: 'NUMFSM', value: COUNT },
  { field: 'fsm_ever_6_years', column: 'NUMFSMEVER', value: COUNT },
  { field: 'pct_fsm_ever_6_years', column: 'PNUMFSMEVER', value: PERCENT },
]

/**
 * The census file has no record-type column: its England rows say `NAT` where a school's URN would be (with `PRI`,
 * `SEC` or `SPE` as the establishment number, one row per phase).
 */
const ENGLAND_URN = 'NAT'

/** `openchoice import dfe-census <file>`: DfE school census pupil characteristics, one row per school. */
export const dfeCensusSource: ImportSource<CensusRow> = {
  name: 'dfe-census',
  description: 'DfE school census pupil characteristics (england_census.csv), named with the academic year',
  layout: { kind: 'header', required: ['URN', 'LA', 'ESTAB', 'SCHOOLTYPE', ...NUMBERS.map((m) => m.column)] },

  parse(record): RecordResult<CensusRow> {
    if (record.URN?.trim() === ENGLAND_URN) return { skip: 'England total' }
    const r = new RecordReader(record)
    const urn = r.urn('URN')
    const la_number = r.digits('LA', 3)
    const estab_number = r.digits('ESTAB', 4)
    const numbers = r.numbers(NUMBERS)
    if (r.problems.length) return { invalid: r.problems.join('; ') }
    return {
      row: { urn, la_number, estab_number, school_type: r.text('SCHOOLTYPE'), ...numbers, markers: r.markers },
    }
  },

  ...storePerformanceRowsIn('dfe-census', 'directory.school_census'),
}
