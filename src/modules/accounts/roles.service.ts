import {
  moduleDb,
  recordAudit,
  ROLE_SCOPE,
  type AnyDb,
  type ModuleManifest,
  type Role,
  type ScopeType,
  type ScopeTypeName,
} from '../../platform/index.ts'
import { normaliseEmail, type RequestContext } from './accounts.service.ts'
import type { AccountsTables } from './tables.ts'

function accounts(db: AnyDb) {
  return moduleDb<AccountsTables>(db)
}

/** The scope types every module contributes, by name. */
export function scopeTypesOf(modules: readonly ModuleManifest[]): Map<ScopeTypeName, ScopeType> {
  return new Map(modules.flatMap((m) => m.scopeTypes ?? []).map((s) => [s.name, s]))
}

/** A role a person holds, with the name of its scope for people to read. */
export interface HeldRole {
  id: string
  role: Role
  scopeType: ScopeTypeName | null
  scopeId: string | null
  scopeLabel: string | null
  grantedAt: Date
}

export async function listHeldRoles(
  db: AnyDb,
  scopes: Map<ScopeTypeName, ScopeType>,
  personId: string,
): Promise<HeldRole[]> {
  const rows = await accounts(db)
    .selectFrom('accounts.role_grants')
    .select(['id', 'role', 'scope_type', 'scope_id', 'granted_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .orderBy('granted_at')
    .execute()
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      role: r.role,
      scopeType: r.scope_type,
      scopeId: r.scope_id,
      scopeLabel:
        r.scope_type && r.scope_id ? ((await scopes.get(r.scope_type)?.label(db, r.scope_id)) ?? r.scope_id) : null,
      grantedAt: r.granted_at,
    })),
  )
}

export type GrantResult =
  | { ok: true }
  | { ok: false; reason: 'scope-required' | 'unknown-scope' | 'already-held' | 'own-account' | 'no-person' }

/**
 * An administrator grants a role. A scoped role needs a scope that a module can resolve (an organisation in the
 * directory, say); administrators cannot change their own roles, so no one can raise their own access.
 */
export async function grantRole(
  db: AnyDb,
  scopes: Map<ScopeTypeName, ScopeType>,
  input: { adminId: string | null; personId: string; role: Role; scopeInput?: string | undefined },
  ctx: RequestContext,
): Promise<GrantResult> {
  if (input.adminId === input.personId) return { ok: false, reason: 'own-account' }
  const scopeType = ROLE_SCOPE[input.role]
  let scopeId: string | null = null
  if (scopeType) {
    const text = input.scopeInput?.trim()
    if (!text) return { ok: false, reason: 'scope-required' }
    const found = await scopes.get(scopeType)?.resolve(db, text)
    if (!found) return { ok: false, reason: 'unknown-scope' }
    scopeId = found.id
  }
  return db.transaction().execute(async (trx): Promise<GrantResult> => {
    const person = await accounts(trx)
      .selectFrom('accounts.people')
      .select('id')
      .where('id', '=', input.personId)
      .where('erased_at', 'is', null)
      .executeTakeFirst()
    if (!person) return { ok: false, reason: 'no-person' }
    const inserted = await accounts(trx)
      .insertInto('accounts.role_grants')
      .values({
        person_id: input.personId,
        role: input.role,
        scope_type: scopeType,
        scope_id: scopeId,
        granted_by: input.adminId,
        granted_at: ctx.now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) return { ok: false, reason: 'already-held' }
    await recordAudit(trx, {
      action: 'role.granted',
      outcome: 'success',
      actorId: input.adminId,
      objectType: 'role-grant',
      objectId: inserted.id,
      details: { personId: input.personId, role: input.role, scopeType, scopeId },
      ...ctx,
    })
    return { ok: true }
  })
}

/** An administrator removes a role; the grant is kept, marked revoked. False if there was no such live grant. */
export async function revokeRole(
  db: AnyDb,
  input: { adminId: string; personId: string; grantId: string },
  ctx: RequestContext,
): Promise<boolean> {
  if (input.adminId === input.personId) return false
  return db.transaction().execute(async (trx) => {
    const revoked = await accounts(trx)
      .updateTable('accounts.role_grants')
      .set({ revoked_at: ctx.now, revoked_by: input.adminId })
      .where('id', '=', input.grantId)
      .where('person_id', '=', input.personId)
      .where('revoked_at', 'is', null)
      .returning(['role', 'scope_type', 'scope_id'])
      .executeTakeFirst()
    if (!revoked) return false
    await recordAudit(trx, {
      action: 'role.revoked',
      outcome: 'success',
      actorId: input.adminId,
      objectType: 'role-grant',
      objectId: input.grantId,
      details: {
        personId: input.personId,
        role: revoked.role,
        scopeType: revoked.scope_type,
        scopeId: revoked.scope_id,
      },
      ...ctx,
    })
    return true
  })
}

/**
 * Grants a role from the command line (`openchoice accounts grant-role`): how the first administrator is made.
 * Audited with no actor, as the operator of the machine.
 */
export async function grantRoleByEmail(
  db: AnyDb,
  modules: readonly ModuleManifest[],
  input: { email: string; role: Role; scope?: string | undefined },
): Promise<GrantResult> {
  const person = await accounts(db)
    .selectFrom('accounts.people')
    .select('id')
    .where('email_normalised', '=', normaliseEmail(input.email))
    .where('erased_at', 'is', null)
    .executeTakeFirst()
  if (!person) return { ok: false, reason: 'no-person' }
  return grantRole(
    db,
    scopeTypesOf(modules),
    { adminId: null, personId: person.id, role: input.role, scopeInput: input.scope },
    { requestId: 'cli', ipHash: null, now: new Date() },
  )
}
