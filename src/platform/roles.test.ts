import { describe, expect, it } from 'vitest'
import { holdsRole, isRole, ROLE_SCOPE, ROLES, scopesOfRole, type RoleGrant } from './roles.ts'

const grants: RoleGrant[] = [
  { role: 'provider-staff', scopeType: 'organisation', scopeId: 'org-a' },
  { role: 'provider-staff', scopeType: 'organisation', scopeId: 'org-b' },
  { role: 'champion', scopeType: null, scopeId: null },
]

describe('roles', () => {
  it('a role is held anywhere, or only in the scopes its grants name', () => {
    expect(holdsRole(grants, 'provider-staff')).toBe(true)
    expect(holdsRole(grants, 'provider-staff', 'org-a')).toBe(true)
    expect(holdsRole(grants, 'provider-staff', 'org-c')).toBe(false) // another organisation's staff
    expect(holdsRole(grants, 'admin')).toBe(false)
    expect(holdsRole([], 'champion')).toBe(false)
  })

  it('lists the scopes a role is held in', () => {
    expect(scopesOfRole(grants, 'provider-staff')).toEqual(['org-a', 'org-b'])
    expect(scopesOfRole(grants, 'champion')).toEqual([])
  })

  it('knows every role, and which are scoped', () => {
    expect(ROLES).toHaveLength(9)
    expect(ROLES.every(isRole)).toBe(true)
    expect(isRole('resident')).toBe(false) // everyone signed in is a resident; it is not granted
    expect(isRole('ADMIN')).toBe(false)
    expect(Object.keys(ROLE_SCOPE).sort()).toEqual([...ROLES].sort())
    expect(ROLES.filter((r) => ROLE_SCOPE[r])).toEqual([
      'provider-staff',
      'regulator',
      'commissioner',
      'neighbourhood-officer',
    ])
  })
})
