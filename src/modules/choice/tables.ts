/** The tables the choice module owns. */
export interface ChoiceTables {
  'choice.shortlist_items': {
    person_id: string
    provider_id: string
    added_by: string
    added_at: Date
  }
}
