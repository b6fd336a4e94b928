import type { ImportSource, RecordResult } from '../../../platform/index.ts'
import type { SchoolKs4ResultsTable } from '../tables.ts'
import { RecordReader, type NumberSpec, type ParsedRow } from './dfe-values.ts'
import { storePerformanceRowsIn } from './performance.queries.ts'

/** One school's KS4 row as read from the file; the year and provenance are added when it is stored. */
export type Ks4Row = ParsedRow<SchoolKs4ResultsTable>

type Ks4Measure =
  | 'pupils'
  | 'attainment8'
  | 'progress8_pupils'
  | 'progress8'
  | 'progress8_lower'
  | 'progress8_upper'
  | 'progress8_banding'
  | 'pct_english_maths_grade4'
  | 'pct_english_maths_grade5'
  | 'pct_ebacc_entered'
  | 'ebacc_aps'
  | 'pct_ebacc_grade4'
  | 'pct_ebacc_grade5'

// Progress 8 scores lie within about ±4 in practice; ±10 only rules out the impossible.
const P8 = { kind: 'score', min: -10, max: 10 } as const

// DfE KS4 headline measures (2018/19 "england_ks4provisional" / "england_ks4final" layout). P8MEA and its confidence
// limits are the published Progress 8 (extreme negative scores capped since 2018); the *_ORIG columns, before that
// adjustment, are not kept.
const MEASURES: readonly NumberSpec<Ks4Measure>[] = [
  { field: 'pupils', column: 'TPUP', value: { kind: 'count' } },
  // Attainment 8: eight slots, English and maths counted twice, at most grade 9 each.
  { field: 'attainment8', column: 'ATT8SCR', value: { kind: 'score', min: 0, max: 90 } },
  { field: 'progress8_pupils', column: 'P8PUP', value: { kind: 'count' } },
  { field: 'progress8', column: 'P8MEA', value: P8 },
  { field: 'progress8_lower', column: 'P8CILOW', value: P8 },
  { field: 'progress8_upper', column: 'P8CIUPP', value: P8 },
  // 1 well above average … 5 well below average.
  { field: 'progress8_banding', column: 'P8_BANDING', value: { kind: 'band', min: 1, max: 5 } },
  { field: 'pct_english_maths_grade4', column: 'PTL2BASICS_94', value: { kind: 'percent' } },
  { field: 'pct_english_maths_grade5', column: 'PTL2BASICS_95', value: { kind: 'percent' } },
  { field: 'pct_ebacc_entered', column: 'PTEBACC_E_PTQ_EE', value: { kind: 'percent' } },
  { field: 'ebacc_aps', column: 'EBACCAPS', value: { kind: 'score', min: 0, max: 9 } },
  { field: 'pct_ebacc_grade4', column: 'PTEBACC_94', value: { kind: 'percent' } },
  { field: 'pct_ebacc_grade5', column: 'PTEBACC_95', value: { kind: 'percent' } },
]

/** KS4 record types (RECTYPE) that are schools; the others are totals, left out on purpose. */
const SCHOOL_RECORD_TYPES = new Set(['1', '2'])

/** `openchoice import dfe-ks4 <file>`: DfE KS4 (GCSE) performance tables, one row per school. */
export const dfeKs4Source: ImportSource<Ks4Row> = {
  name: 'dfe-ks4',
  description: 'DfE KS4 performance tables (england_ks4provisional/final.csv), named with the academic year',
  layout: {
    kind: 'header',
    required: ['RECTYPE', 'LEA', 'ESTAB', 'URN', 'SCHNAME', 'NFTYPE', 'ICLOSE', ...MEASURES.map((m) => m.column)],
  },

  parse(record): RecordResult<Ks4Row> {
    const recordType = record.RECTYPE?.trim() ?? ''
    if (recordType === '4') return { skip: 'local authority total' }
    if (recordType === '5' || recordType === '7') return { skip: 'England total' }
    if (!SCHOOL_RECORD_TYPES.has(recordType)) {
      return { invalid: `RECTYPE "${recordType}" is not a KS4 record type (1 or 2 a school, 4 an LA, 5 or 7 England)` }
    }
    const r = new RecordReader(record)
    const urn = r.urn('URN')
    const la_number = r.digits('LEA', 3)
    const estab_number = r.digits('ESTAB', 4)
    const m = r.numbers(MEASURES)
    r.checkInterval(
      { value: 'P8MEA', lower: 'P8CILOW', upper: 'P8CIUPP' },
      m.progress8,
      m.progress8_lower,
      m.progress8_upper,
    )
    const closed = r.flag('ICLOSE')
    if (r.problems.length) return { invalid: r.problems.join('; ') }
    return {
      row: {
        urn,
        record_type: Number(recordType),
        la_number,
        estab_number,
        school_name: r.text('SCHNAME'),
        institution_type: r.text('NFTYPE'),
        closed,
        ...m,
        markers: r.markers,
      },
    }
  },

  ...storePerformanceRowsIn('dfe-ks4', 'directory.school_ks4_results'),
}
