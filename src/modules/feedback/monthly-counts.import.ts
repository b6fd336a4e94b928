import type { AnyDb, ImportCounts, ImportRun, ImportSource, RecordResult } from '../../platform/index.ts'
import type { CollectionMode } from './collection.ts'
import { financialYearMonth, monthOf, type Month } from './period.ts'
import { FFT_ANSWERS, totalResponses, zeroCounts, type AnswerCounts, type FftAnswer } from './statistics.ts'
import { insertUpload, upsertMonthlyCounts } from './uploads.queries.ts'

/** The answer columns of NHS England's organisation-level FFT files (../shared/data/fft/LAYOUT.md). */
export const FFT_COUNT_COLUMNS: Record<FftAnswer, string> = {
  'very-good': '1 Very Good',
  good: '2 Good',
  neither: '3 Neither good nor poor',
  poor: '4 Poor',
  'very-poor': '5 Very poor',
  'dont-know': '6 Dont Know',
}
/** Trust and site files name the organisation `Org code`; GP practice files `Practice Code` (the ODS code). */
export const ORG_CODE_COLUMNS = ['Org code', 'Practice Code'] as const

/** One month of counts from an uploaded file. */
export interface MonthlyCountsRow {
  month: Month
  counts: AnswerCounts
}

/** What an upload is for: one service, the codes its file may name it by, and how the answers were collected. */
export interface UploadTarget {
  serviceId: string
  /** The provider's codes (its ODS code, URN or regulator's reference), upper case. */
  orgCodes: string[]
  mode: CollectionMode
  uploadedBy: string
  /** The name the uploader's file had (a web upload is stored under a temporary name). */
  fileName?: string | undefined
  now: Date
}

/** Counts are whole numbers written plainly: "1,234" or "12.0" is a mistake to report, not a number to guess at. */
const WHOLE = /^\d{1,9}$/

function wholeNumber(record: Record<string, string>, column: string, problems: string[]): number {
  const value = (record[column] ?? '').trim()
  if (WHOLE.test(value)) return Number(value)
  if (value === '*') problems.push(`"${column}" is suppressed (*): upload the exact count`)
  else problems.push(`"${column}" must be a whole number, 0 or more (it is "${value}")`)
  return 0
}

/**
 * A provider's monthly FFT counts in NHS England's published layout, one row per month, for one service. Every row
 * must name this provider, a real month that has begun, and whole counts that add up to `Total Responses`; the
 * derived columns (Total Eligible, Prop_Pos, Prop_Neg) are not read. Stored all or nothing by `runImport`.
 */
export function monthlyCountsSource(target: UploadTarget): ImportSource<MonthlyCountsRow> {
  let uploadId: string | undefined
  const latest = monthOf(target.now)
  return {
    name: 'fft-monthly-counts',
    description: 'Monthly Friends and Family Test counts for one provider, in NHS England’s published layout',
    layout: {
      kind: 'header',
      required: ['Yearnumber', 'Periodname', ...Object.values(FFT_COUNT_COLUMNS), 'Total Responses'],
    },

    parse(record): RecordResult<MonthlyCountsRow> {
      const problems: string[] = []
      const orgColumn = ORG_CODE_COLUMNS.find((c) => c in record)
      const orgCode = orgColumn && record[orgColumn]!.trim().toUpperCase()
      if (!orgColumn) problems.push('the file has no "Org code" or "Practice Code" column')
      else if (!target.orgCodes.includes(orgCode!))
        problems.push(`${orgColumn} "${orgCode}" is not this provider's (${target.orgCodes.join(' or ')})`)
      const month = financialYearMonth(record.Yearnumber!, record.Periodname!)
      if (!month)
        problems.push(
          `"${record.Yearnumber} ${record.Periodname}" is not a month (a year like 2024_25 and a month name)`,
        )
      else if (month > latest) problems.push(`${month} has not begun yet`)
      const counts = zeroCounts()
      for (const answer of FFT_ANSWERS) counts[answer] = wholeNumber(record, FFT_COUNT_COLUMNS[answer], problems)
      const total = wholeNumber(record, 'Total Responses', problems)
      if (!problems.length && total !== totalResponses(counts))
        problems.push(`Total Responses is ${total}, but the answers add up to ${totalResponses(counts)}`)
      return problems.length ? { invalid: problems.join('; ') } : { row: { month: month!, counts } }
    },

    key: (row) => row.month,

    async store(trx: AnyDb, rows: MonthlyCountsRow[], run: ImportRun): Promise<ImportCounts> {
      uploadId ??= await insertUpload(trx, {
        service_id: target.serviceId,
        mode: target.mode,
        uploaded_by: target.uploadedBy,
        uploaded_at: run.startedAt,
        file_name: target.fileName ?? run.fileName,
        file_sha256: run.fileSha256,
      })
      return upsertMonthlyCounts(trx, target.serviceId, target.mode, uploadId, rows)
    },
  }
}
