import { parse } from 'csv-parse/sync'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../../platform/index.ts'
import { testDialects } from '../../../platform/testing/index.ts'
import { isDisclosed } from '../disclosure.ts'
import { dataPackage } from '../open-data.ts'
import { fileOf, FIGURES_OUTPUTS, METADATA_OUTPUT } from '../open-data.outputs.ts'
import { forgetPublications } from '../publication.service.ts'
import { useFeedbackDatabase } from './factories.ts'
import { answer, decideRequests, importNurseries, uploadCounts } from './publication.factories.ts'

const NOW = new Date('2025-05-10T12:00:00Z') // the latest complete month is April 2025
type Schema = ReturnType<typeof dataPackage>['resources'][number]['schema']
type Field = Schema['fields'][number]

const TYPES: Record<string, { csv: RegExp; json: (v: unknown) => boolean }> = {
  string: { csv: /^/, json: (v) => typeof v === 'string' },
  integer: { csv: /^-?\d+$/, json: (v) => Number.isInteger(v) },
  number: { csv: /^-?\d+(\.\d+)?$/, json: (v) => typeof v === 'number' && Number.isFinite(v) },
  yearmonth: {
    csv: /^\d{4}-(0[1-9]|1[0-2])$/,
    json: (v) => typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v),
  },
}

/** Checks records against a Table Schema (names in order, types, required, enum); returns the problems found. */
function validate(records: Record<string, unknown>[], schema: Schema, format: 'csv' | 'json'): string[] {
  const problems: string[] = []
  const names = schema.fields.map((f: Field) => f.name)
  records.forEach((record, i) => {
    if (JSON.stringify(Object.keys(record)) !== JSON.stringify(names)) problems.push(`row ${i}: columns differ`)
    for (const f of schema.fields as Field[]) {
      const v = record[f.name]
      const missing = v === null || v === undefined || (schema.missingValues as string[]).includes(String(v))
      if (missing) {
        if (f.constraints.required) problems.push(`row ${i} ${f.name}: required`)
        continue
      }
      const type = TYPES[f.type]!
      if (format === 'csv' ? !type.csv.test(String(v)) : !type.json(v))
        problems.push(`row ${i} ${f.name}: ${v} not ${f.type}`)
      const allowed = 'enum' in f.constraints ? (f.constraints.enum as readonly string[]) : null
      if (allowed && !allowed.includes(String(v))) problems.push(`row ${i} ${f.name}: ${v} not in enum`)
    }
  })
  return problems
}

describe.each(testDialects())('%s', (dialect) => {
  let database: Database
  useFeedbackDatabase(dialect, (opened) => (database = opened))

  beforeEach(async () => {
    forgetPublications(database.db) // each test's rows are made afresh, not kept from the last test's
    const id = await importNurseries(database, ['319354', 'EY101465', 'EY561038'])
    const db = database.db
    await uploadCounts(db, id['319354']!, 'paper', '2025-04', { 'very-good': 40, good: 20, neither: 5, poor: 3 })
    await answer(db, id['319354']!, 'good', 3, '2025-03')
    await answer(db, id['EY101465']!, 'very-poor', 12, '2025-04')
    await uploadCounts(db, id['EY561038']!, 'kiosk', '2025-02', { 'very-good': 9, 'dont-know': 1 })
    await decideRequests(db, id['319354']!, '2025-04', 19, 1)
    await decideRequests(db, id['EY101465']!, '2025-03', 3, 9)
  })

  it.each(FIGURES_OUTPUTS.map((o) => [o.path, o] as const))(
    '%s: every row went through disclose(), and the file validates against the Data Package',
    async (path, output) => {
      const { month, body, disclosed } = await fileOf(database.db, output, { month: '2025-04' }, NOW)
      expect(month).toBe('2025-04')
      expect(disclosed.length).toBeGreaterThan(0)
      for (const figures of disclosed) {
        expect(figures.length).toBeGreaterThan(0)
        for (const f of figures) expect(isDisclosed(f)).toBe(true)
      }
      const format = path.endsWith('.csv') ? 'csv' : 'json'
      const resource = dataPackage('https://openchoice.example').resources.find((r) => r.name === output.resource)!
      expect(resource.format).toBe(format)
      const records: Record<string, unknown>[] =
        format === 'csv' ? parse(body, { columns: true, record_delimiter: '\r\n' }) : JSON.parse(body).records
      // One record per disclosed row, and nothing else: a file cannot carry a figure disclose() did not make.
      expect(records).toHaveLength(disclosed.length)
      expect(validate(records, resource.schema, format)).toEqual([])
    },
  )

  it('the validation catches a wrong type, a missing required value and a value outside its list', () => {
    const schema = dataPackage('https://openchoice.example').resources[1]!.schema
    const names = (schema.fields as Field[]).map((f) => f.name)
    const good = Object.fromEntries(names.map((n) => [n, null])) as Record<string, unknown>
    Object.assign(good, { service_id: 'x', provider_name: 'x', organisation_name: 'x', framework: 'nhs-care' })
    Object.assign(good, { service_type: 'x', period: 'month', period_start: '2025-04', period_end: '2025-04' })
    Object.assign(good, { collection_modes: 'online', responses: 10, very_good: 'suppressed' })
    expect(validate([good], schema, 'json')).toEqual([])
    const bad = { ...good, responses: 10.5, period_end: null, framework: 'fishing', positive_percent: '75' }
    expect(validate([bad], schema, 'json')).toEqual([
      'row 0 framework: fishing not in enum',
      'row 0 period_end: required',
      'row 0 responses: 10.5 not integer',
      'row 0 positive_percent: 75 not number',
    ])
  })

  it('the metadata describes every column once, the method, suppression and the licence', () => {
    const meta = JSON.parse(METADATA_OUTPUT.write('https://openchoice.example'))
    expect(meta.profile).toBe('tabular-data-package')
    expect(meta.licenses).toEqual([expect.objectContaining({ title: 'Open Government Licence v3.0' })])
    expect(meta.method.join(' ')).toContain('including "Don\'t know"')
    expect(meta.suppression.join(' ')).toContain('fewer than 10 responses')
    expect(meta.responseTimesMethod.join(' ')).toContain(
      'Choice Charter standard for the Choice Framework, in working days',
    )
    expect(meta.resources.map((r: { name: string }) => r.name)).toEqual([
      'feedback-csv',
      'feedback-json',
      'response-times-csv',
      'response-times-json',
    ])
    for (const r of meta.resources) {
      const names = r.schema.fields.map((f: Field) => f.name)
      expect(new Set(names).size).toBe(names.length)
      for (const f of r.schema.fields) expect(f.description.length).toBeGreaterThan(10)
    }
  })
})
