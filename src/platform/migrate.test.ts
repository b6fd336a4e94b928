import { describe, expect, it } from 'vitest'
import { mergeMigrations } from './migrate.ts'
import type { ModuleManifest } from './module.ts'

const noop = { up: async () => {} }
const manifest = (name: string, names: string[]): ModuleManifest => ({
  name,
  dependsOn: [],
  migrations: Object.fromEntries(names.map((n) => [n, noop])),
})

describe('merging module migrations', () => {
  it('orders every module’s migrations by their timestamp prefix, not by module', () => {
    const merged = mergeMigrations([
      manifest('budgets', ['2026_02_01_0900_budgets_create_ledger']),
      manifest('accounts', ['2026_01_01_0900_accounts_create_people', '2026_03_01_0900_accounts_add_roles']),
    ])
    expect(Object.keys(merged)).toEqual([
      '2026_01_01_0900_accounts_create_people',
      '2026_02_01_0900_budgets_create_ledger',
      '2026_03_01_0900_accounts_add_roles',
    ])
  })

  it('rejects a badly named migration, one that does not name its module, and duplicates', () => {
    expect(() => mergeMigrations([manifest('budgets', ['create_ledger'])])).toThrow(/must look like/)
    expect(() => mergeMigrations([manifest('budgets', ['2026_02_01_0900_accounts_x'])])).toThrow(/must name its module/)
    expect(() =>
      mergeMigrations([
        manifest('budgets', ['2026_02_01_0900_budgets_x']),
        manifest('budgets', ['2026_02_01_0900_budgets_x']),
      ]),
    ).toThrow(/Two migrations/)
  })
})
