import type { ColumnType, Generated } from 'kysely'
import type { ChoiceFramework } from '../directory/index.ts'
import type { CollectionMode, ModerationState, RejectionReason } from './collection.ts'
import { FFT_ANSWERS, type AnswerCounts, type FftAnswer } from './statistics.ts'

/** A calendar month, stored as its first day: written as 'YYYY-MM-01', read back as a date. */
type MonthColumn = ColumnType<Date, string, string>

/** One count column per FFT answer, as monthly_counts stores them. */
export const ANSWER_COLUMNS = {
  'very-good': 'very_good',
  good: 'good',
  neither: 'neither',
  poor: 'poor',
  'very-poor': 'very_poor',
  'dont-know': 'dont_know',
} as const satisfies Record<FftAnswer, string>
export type AnswerColumns = { [A in FftAnswer as (typeof ANSWER_COLUMNS)[A]]: number }
export const COUNT_COLUMNS = FFT_ANSWERS.map((a) => ANSWER_COLUMNS[a])

export const toAnswerColumns = (counts: AnswerCounts): AnswerColumns =>
  Object.fromEntries(FFT_ANSWERS.map((a) => [ANSWER_COLUMNS[a], counts[a]])) as AnswerColumns

export const fromAnswerColumns = (row: AnswerColumns): AnswerCounts =>
  Object.fromEntries(FFT_ANSWERS.map((a) => [a, row[ANSWER_COLUMNS[a]]])) as AnswerCounts

/** The tables the feedback module owns. Service ids are the directory's; there are no foreign keys across modules. */
export interface FeedbackTables {
  /** One answer to the FFT question from one person about one service in one month. */
  'feedback.responses': {
    id: Generated<string>
    service_id: string
    period: MonthColumn
    answer: FftAnswer
    mode: CollectionMode
    /** HMAC of who answered (person or token), the service and the month: one response each, no personal data. */
    once_key: string
    comment: string | null
    /** Set exactly when there is a comment. */
    comment_state: ModerationState | null
    submitted_at: Date
    /** When a moderator published or rejected the comment (who did is in the audit log). */
    moderated_at: Date | null
    rejection_reason: RejectionReason | null
  }
  /** Single-use links to the question; only a hash of the token is kept. */
  'feedback.tokens': {
    token_hash: string
    service_id: string
    issued_at: Date
    expires_at: Date
    used_at: Date | null
  }
  /** A file of monthly counts that provider staff uploaded. */
  'feedback.uploads': {
    id: Generated<string>
    service_id: string
    mode: CollectionMode
    uploaded_by: string
    uploaded_at: Date
    file_name: string
    file_sha256: string
  }
  /** Counts per answer for one service, month and collection mode, from the latest upload that changed them. */
  'feedback.monthly_counts': AnswerColumns & {
    service_id: string
    period: MonthColumn
    mode: CollectionMode
    upload_id: string
  }
  /** A provider's one public reply to a published comment. */
  'feedback.comment_replies': {
    response_id: string
    organisation_id: string
    body: string
    replied_by: string
    replied_at: Date
  }
  /** One decided choice request (from choice's `choice.request-decided` event): answered within the standard or not. */
  'feedback.request_outcomes': {
    request_id: string
    service_id: string
    framework: ChoiceFramework
    /** The month it was decided: when it was answered, or when its deadline passed unanswered. */
    period: MonthColumn
    on_time: boolean
    due_at: Date
    answered_at: Date | null
  }
}
