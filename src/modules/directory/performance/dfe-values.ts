import type { Insertable } from 'kysely'
import { ImportRejectedError, type ImportRun } from '../../../platform/index.ts'

// Reading the cells of DfE performance-table and school-census downloads (issue #4). Every value column arrives as
// text: a number, a percentage with or without "%", a grade, or one of DfE's markers for a value that is not
// published. A marker is never a zero: the value is stored as null and the marker is kept beside it.

/** DfE's markers for a value that is not published, and what each means (performance tables and census metadata). */
export const DFE_MARKERS: Readonly<Record<string, string>> = {
  SUPP: 'suppressed: too few pupils to publish',
  NE: 'no pupils were entered',
  NA: 'not applicable',
  NP: 'not published',
  NEW: 'a new school or college: no results yet',
  LOWCOV: 'not published: too few pupils have prior attainment results',
  x: 'not available',
  c: 'confidential: suppressed',
  z: 'not applicable',
  ':': 'not available',
}

/** Why a measure is blank, keyed by the measure's column in our tables (for example `{ progress8: 'SUPP' }`). */
export type ValueMarkers = Record<string, string>

/** One row of a DfE table as read from a file: the year, markers (as JSON) and provenance are added when stored. */
export type ParsedRow<Table> = Omit<Insertable<Table>, 'academic_year' | 'markers' | 'source_file' | 'imported_at'> & {
  markers: ValueMarkers
}

const NUMBER = /^-?\d+(?:\.\d+)?$/
const PERCENT = /^(\d+(?:\.\d+)?)%?$/
const INTEGER = /^\d+$/
// A level and academic grades per entry: A*, A+ … E-, U. Vocational (applied general, tech level, technical
// certificate) grades: Dist*, Dist+ … Pass-, optionally with a level prefix (L2Merit-).
const ACADEMIC_GRADE = /^(?:(?:A\*|[A-E])[+-]?|U)$/
const VOCATIONAL_GRADE = /^(?:(?:L[123])?(?:Dist\*|Dist|Merit|Pass)[+-]?|U)$/
const URN = /^[1-9]\d{5,6}$/
// The postcode formats of the UK (BS 7666), with or without the space.
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/

/** How a numeric value column is read and what range makes sense for it. */
export type NumberKind =
  | { kind: 'count' }
  | { kind: 'percent' }
  | { kind: 'score'; min: number; max: number }
  | { kind: 'band'; min: number; max: number }

/** One numeric measure: the DfE column it comes from and the column of ours it goes to. */
export interface NumberSpec<Field extends string> {
  field: Field
  column: string
  value: NumberKind
}

/** One grade measure (A level grades, or vocational ones such as Dist*-). */
export interface GradeSpec<Field extends string> {
  field: Field
  column: string
  scale: 'academic' | 'vocational'
}

const COUNT_MAX = 1_000_000

/**
 * Reads the cells of one record, collecting every problem (so a bad row is reported once, with all its faults)
 * and the marker of each measure that is not published.
 */
export class RecordReader {
  readonly problems: string[] = []
  readonly markers: ValueMarkers = {}

  constructor(private readonly record: Record<string, string>) {}

  /** The trimmed cell of the first of `columns` the file has; undefined when it has none of them. */
  cell(columns: string | readonly string[]): { column: string; text: string } | undefined {
    for (const column of typeof columns === 'string' ? [columns] : columns) {
      const text = this.record[column]
      if (text !== undefined) return { column, text: text.trim() }
    }
    return undefined
  }

  /** A text value as published; empty is null. */
  text(columns: string | readonly string[]): string | null {
    return this.cell(columns)?.text || null
  }

  /** A school's URN: six or seven digits. */
  urn(column: string): number {
    const text = this.cell(column)?.text ?? ''
    if (!URN.test(text)) this.problems.push(text ? `${column} "${text}" is not a URN` : `${column} is empty`)
    return Number(text)
  }

  /** A code of a fixed number of digits (a DfE LA number, an establishment number), kept as text. */
  digits(column: string, length: number): string {
    const text = this.cell(column)?.text ?? ''
    if (text.length !== length || !INTEGER.test(text)) {
      this.problems.push(text ? `${column} "${text}" is not a ${length}-digit number` : `${column} is empty`)
    }
    return text
  }

  /** A 0/1 flag; empty is null. */
  flag(column: string): boolean | null {
    const text = this.cell(column)?.text ?? ''
    if (text === '') return null
    if (text === '0' || text === '1') return text === '1'
    this.problems.push(`${column} "${text}" is not 0 or 1`)
    return null
  }

  /** A UK postcode in its usual form (upper case, one space); empty is null. */
  postcode(column: string): string | null {
    const text = this.cell(column)?.text.toUpperCase() ?? ''
    if (text === '') return null
    const m = POSTCODE.exec(text)
    if (!m) {
      this.problems.push(`${column} "${text}" is not a UK postcode`)
      return null
    }
    return `${m[1]} ${m[2]}`
  }

  /** The cell of a measure, or null when it is blank or a DfE marker (which is kept, under `field`). */
  private valueCell(field: string, column: string): string | null {
    const text = this.cell(column)?.text ?? ''
    if (text === '') return null
    if (Object.hasOwn(DFE_MARKERS, text)) {
      this.markers[field] = text
      return null
    }
    return text
  }

  private fail(column: string, text: string, why: string): null {
    this.problems.push(`${column} "${text}" ${why}`)
    return null
  }

  /** A numeric measure, or null: blank, or not published (with its marker). */
  number<Field extends string>({ field, column, value: v }: NumberSpec<Field>): number | null {
    const text = this.valueCell(field, column)
    if (text === null) return null
    switch (v.kind) {
      case 'percent': {
        const m = PERCENT.exec(text)
        if (!m) return this.fail(column, text, 'is not a percentage or a DfE marker')
        const n = Number(m[1])
        return n <= 100 ? n : this.fail(column, text, 'is more than 100%')
      }
      case 'count': {
        if (!INTEGER.test(text)) {
          const why = NUMBER.test(text) ? 'is not a whole number' : 'is not a number or a DfE marker'
          return this.fail(column, text, why)
        }
        const n = Number(text)
        return n <= COUNT_MAX ? n : this.fail(column, text, `is more than ${COUNT_MAX}`)
      }
      case 'band':
      case 'score': {
        if (!NUMBER.test(text)) return this.fail(column, text, 'is not a number or a DfE marker')
        if (v.kind === 'band' && !INTEGER.test(text)) return this.fail(column, text, 'is not a whole number')
        const n = Number(text)
        return n >= v.min && n <= v.max ? n : this.fail(column, text, `is outside ${v.min} to ${v.max}`)
      }
    }
  }

  /** A grade measure as published (`C+`, `Dist*-`), or null: blank, or not published (with its marker). */
  grade<Field extends string>({ field, column, scale }: GradeSpec<Field>): string | null {
    const text = this.valueCell(field, column)
    if (text === null) return null
    if ((scale === 'academic' ? ACADEMIC_GRADE : VOCATIONAL_GRADE).test(text)) return text
    return this.fail(
      column,
      text,
      `is not ${scale === 'academic' ? 'an A level' : 'a vocational'} grade or a DfE marker`,
    )
  }

  /** Every numeric measure of `specs`, keyed by field. */
  numbers<Field extends string>(specs: readonly NumberSpec<Field>[]): Record<Field, number | null> {
    const out = {} as Record<Field, number | null>
    for (const spec of specs) out[spec.field] = this.number(spec)
    return out
  }

  /** Every grade measure of `specs`, keyed by field. */
  grades<Field extends string>(specs: readonly GradeSpec<Field>[]): Record<Field, string | null> {
    const out = {} as Record<Field, string | null>
    for (const spec of specs) out[spec.field] = this.grade(spec)
    return out
  }

  /**
   * A published estimate must lie within its own confidence interval, and one without its interval is not the
   * published figure (Progress 8, A level value added).
   */
  checkInterval(
    columns: { value: string; lower: string; upper: string },
    value: number | null,
    lower: number | null,
    upper: number | null,
  ): void {
    if (value === null) return
    if (lower === null || upper === null) {
      this.problems.push(`${columns.value} ${value} has no confidence interval (${columns.lower}, ${columns.upper})`)
    } else if (lower > value || value > upper) {
      this.problems.push(`${columns.value} ${value} is outside its confidence interval ${lower} to ${upper}`)
    }
  }
}

/**
 * The academic year a file covers, from its name: DfE's school-level download files have no year column (the
 * year is the name of the folder in the download), so the file must be named with it: `2018-19`, `2018-2019`,
 * `2018_19` or `201819`. Returns `2018/19`, or undefined when the name has no such year.
 */
export function academicYearFromFileName(fileName: string): string | undefined {
  for (const m of fileName.matchAll(/(?<!\d)(20\d\d)[-_]?(20)?(\d\d)(?!\d)/g)) {
    const start = Number(m[1])
    if (Number(m[3]) === (start + 1) % 100) return `${start}/${m[3]}`
  }
  return undefined
}

/** The academic year of the file being imported, or the import is refused (line 0: the file as a whole). */
export function academicYearOfRun(source: string, run: ImportRun): string {
  const year = academicYearFromFileName(run.fileName)
  if (year) return year
  throw new ImportRejectedError(source, [
    {
      line: 0,
      reason:
        `the file name "${run.fileName}" does not say which academic year it covers (DfE's files have no year ` +
        'column): name it with the year, for example england_ks4provisional_2018-19.csv',
    },
  ])
}

/** A parsed row made ready to store: its year, markers as JSON and where it came from. */
export function withProvenance<Row extends { markers: ValueMarkers }>(row: Row, year: string, run: ImportRun) {
  return {
    ...row,
    academic_year: year,
    markers: JSON.stringify(row.markers),
    source_file: run.fileName,
    imported_at: run.startedAt,
  }
}
