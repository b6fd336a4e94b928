import type { Generated } from 'kysely'

export const REQUEST_STATUSES = ['sent', 'accepted', 'declined', 'not-answered', 'withdrawn'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** The tables the choice module owns. */
export interface ChoiceTables {
  'choice.shortlist_items': {
    person_id: string
    provider_id: string
    added_by: string
    added_at: Date
  }
  'choice.prompts': {
    id: Generated<string>
    framework: string
    point: string
    person_id: string | null
    on_behalf_of_id: string | null
    shown_at: Date
  }
  'choice.requests': {
    id: Generated<string>
    person_id: string | null
    made_by: string | null
    service_id: string
    organisation_id: string
    framework: string
    kind: string
    message: string | null
    status: RequestStatus
    made_at: Date
    due_at: Date
    answered_at: Date | null
    decline_reason: string | null
    answer_note: string | null
    submission_key: string
  }
  'choice.request_history': {
    id: Generated<string>
    request_id: string
    status: RequestStatus
    changed_at: Date
    actor_id: string | null
    on_behalf_of_id: string | null
  }
}
