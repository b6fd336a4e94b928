import type { Generated } from 'kysely'

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
}
