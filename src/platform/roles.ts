import type { AnyDb } from './db.ts'

/**
 * The roles of OpenChoice (DESIGN.md, "Who uses it") and the kind of scope each is held in. Every signed-in
 * person is a resident; these are granted on top by an administrator, and a scoped role only ever reaches the
 * organisation, regulator, commissioning body or council its grant names.
 */
export const ROLES = [
  'champion',
  'provider-staff',
  'regulator',
  'commissioner',
  'neighbourhood-officer',
  'ombudsman',
  'appeals-panel',
  'analyst',
  'admin',
] as const

export type Role = (typeof ROLES)[number]

/** The kinds of scope a grant can name; modules say how to look each one up (ModuleManifest.scopeTypes). */
export type ScopeTypeName = 'organisation' | 'regulator' | 'commissioning-body' | 'neighbourhood-council'

/** Which scope each role is held in; null means the role is not scoped. */
export const ROLE_SCOPE: Readonly<Record<Role, ScopeTypeName | null>> = {
  champion: null,
  'provider-staff': 'organisation',
  regulator: 'regulator',
  commissioner: 'commissioning-body',
  'neighbourhood-officer': 'neighbourhood-council',
  ombudsman: null,
  'appeals-panel': null,
  analyst: null,
  admin: null,
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** One role a person holds, and where. */
export interface RoleGrant {
  role: Role
  scopeType: ScopeTypeName | null
  scopeId: string | null
}

/** A scope a module can resolve: what an administrator types becomes a stable id and a name to show. */
export interface ScopeType {
  name: ScopeTypeName
  /** Finds the scope an administrator means by `input` (an id or a published code); null if there is none. */
  resolve(db: AnyDb, input: string): Promise<{ id: string; label: string } | null>
  /** The name to show for a stored id. */
  label(db: AnyDb, id: string): Promise<string | null>
}

/** Whether the grants include `role`, anywhere or (given a scope) in exactly that scope. */
export function holdsRole(grants: readonly RoleGrant[], role: Role, scopeId?: string): boolean {
  return grants.some((g) => g.role === role && (scopeId === undefined || g.scopeId === scopeId))
}

/** The scope ids in which the grants include `role` (for example the organisations a member of staff works for). */
export function scopesOfRole(grants: readonly RoleGrant[], role: Role): string[] {
  return grants.filter((g) => g.role === role && g.scopeId !== null).map((g) => g.scopeId!)
}
