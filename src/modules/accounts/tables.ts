import type { Generated, Selectable } from 'kysely'
import type { Role, ScopeTypeName } from '../../platform/index.ts'

export interface PeopleTable {
  id: Generated<string>
  email: string
  email_normalised: string
  /** Null for people who only sign in with One Login. */
  password_hash: string | null
  email_verified_at: Date | null
  password_changed_at: Generated<Date>
  created_at: Generated<Date>
  erased_at: Date | null
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
  acting_for_consent_id: string | null
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

export interface RoleGrantsTable {
  id: Generated<string>
  person_id: string
  role: Role
  scope_type: ScopeTypeName | null
  scope_id: string | null
  granted_by: string | null
  granted_at: Date
  revoked_by: string | null
  revoked_at: Date | null
}

export type ConsentStatus = 'requested' | 'granted' | 'refused' | 'revoked'

export interface ConsentsTable {
  id: Generated<string>
  champion_id: string
  person_id: string | null
  person_email_normalised: string | null
  frameworks: string[]
  actions: string[]
  method: 'online' | 'offline'
  status: ConsentStatus
  offline_note: string | null
  needs_review: Generated<boolean>
  reviewed_by: string | null
  reviewed_at: Date | null
  requested_at: Date
  decided_at: Date | null
  expires_at: Date
  revoked_by: string | null
  revoked_at: Date | null
}

/** A person as an OIDC provider (GOV.UK One Login) knows them: its issuer and the subject it gives them. */
export interface ExternalIdentitiesTable {
  issuer: string
  subject: string
  person_id: string
  created_at: Generated<Date>
}

/** The tables the accounts module owns. */
export interface AccountsTables {
  'accounts.people': PeopleTable
  'accounts.sessions': SessionsTable
  'accounts.email_tokens': EmailTokensTable
  'accounts.sign_in_failures': SignInFailuresTable
  'accounts.external_identities': ExternalIdentitiesTable
  'accounts.role_grants': RoleGrantsTable
  'accounts.consents': ConsentsTable
}

export type PersonRow = Selectable<PeopleTable>
export type SessionRow = Selectable<SessionsTable>
export type RoleGrantRow = Selectable<RoleGrantsTable>
export type ConsentRow = Selectable<ConsentsTable>
