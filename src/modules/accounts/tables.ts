import type { Generated, Selectable } from 'kysely'

export interface PeopleTable {
  id: Generated<string>
  email: string
  email_normalised: string
  password_hash: string
  email_verified_at: Date | null
  password_changed_at: Generated<Date>
  created_at: Generated<Date>
}

export interface SessionsTable {
  token_hash: string
  id: Generated<string>
  person_id: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
  ended_at: Date | null
  ended_reason: string | null
}

export type EmailTokenPurpose = 'verify-email' | 'reset-password'

export interface EmailTokensTable {
  token_hash: string
  person_id: string
  purpose: EmailTokenPurpose
  created_at: Date
  expires_at: Date
  used_at: Date | null
}

export interface SignInFailuresTable {
  person_id: string
  failed_at: Date
}

/** The tables the accounts module owns. */
export interface AccountsTables {
  'accounts.people': PeopleTable
  'accounts.sessions': SessionsTable
  'accounts.email_tokens': EmailTokensTable
  'accounts.sign_in_failures': SignInFailuresTable
}

export type PersonRow = Selectable<PeopleTable>
export type SessionRow = Selectable<SessionsTable>
