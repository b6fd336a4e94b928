import { describe, expect, it } from 'vitest'
import { commissioningBodyScope, neighbourhoodCouncilScope } from '../scopes.ts'

const db = undefined as never // these scopes are codes, checked without the database

describe('scopes an administrator can name', () => {
  it('a commissioner works for a local authority (ONS code) or a national body', async () => {
    expect(await commissioningBodyScope.resolve(db, ' e09000033 ')).toEqual({ id: 'E09000033', label: 'E09000033' })
    expect(await commissioningBodyScope.resolve(db, 'W06000015')).toEqual({ id: 'W06000015', label: 'W06000015' })
    expect(await commissioningBodyScope.resolve(db, 'NHS-England')).toEqual({ id: 'nhs-england', label: 'NHS England' })
    for (const bad of ['E04000001', 'E0900003', 'E090000333', 'S12000033', 'nhs', '']) {
      expect(await commissioningBodyScope.resolve(db, bad), bad).toBeNull()
    }
    expect(await commissioningBodyScope.label(db, 'dfe')).toBe('Department for Education')
    expect(await commissioningBodyScope.label(db, 'nonsense')).toBeNull()
  })

  it('a neighbourhood council officer works for a parish or community (ONS code)', async () => {
    expect(await neighbourhoodCouncilScope.resolve(db, 'e04000001')).toEqual({ id: 'E04000001', label: 'E04000001' })
    expect(await neighbourhoodCouncilScope.resolve(db, 'W04000001')).not.toBeNull()
    expect(await neighbourhoodCouncilScope.resolve(db, 'E09000033')).toBeNull()
  })
})
