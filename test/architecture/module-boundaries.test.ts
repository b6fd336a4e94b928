import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { modules } from '../../src/modules/registry.ts'
import {
  checkModuleBoundaries,
  collectImportGraph,
  collectImports,
  findCycles,
  type ManifestLike,
  type Violation,
} from './module-boundaries.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Every .ts file under src/, keyed by its repository-relative path with forward slashes. */
function readSourceTree(): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const absolute = path.join(entry.parentPath, entry.name)
    files.set(path.relative(root, absolute).split(path.sep).join('/'), readFileSync(absolute, 'utf8'))
  }
  return files
}

const describeViolations = (violations: Violation[]) => violations.map((v) => `[${v.rule}] ${v.message}`)

describe('module boundaries (CONVENTIONS: how modules depend on each other)', () => {
  it('the source tree keeps every module boundary, matches each dependsOn and has no import cycle', () => {
    const files = readSourceTree()
    expect(files.size).toBeGreaterThan(10)
    expect(collectImportGraph(files).filter((e) => e.resolved).length).toBeGreaterThan(0)
    expect(describeViolations(checkModuleBoundaries(files, modules))).toEqual([])
  })

  it('flags an internal import planted in the real tree, so the check above is not passing vacuously', () => {
    const [owner, other] = modules.filter((m) => m.name !== 'platform').map((m) => m.name)
    if (!owner || !other) return
    const files = readSourceTree()
    const planted = `src/modules/${owner}/planted.ts`
    files.set(planted, `import { x } from '../${other}/module.ts'\nimport { y } from '../../platform/module.ts'\n`)
    const violations = checkModuleBoundaries(files, modules).filter((v) => v.file === planted)
    expect(violations.map((v) => v.rule)).toEqual(['module-internals', 'platform-internals'])
  })
})

describe('checkModuleBoundaries on a fake tree', () => {
  const manifests: ManifestLike[] = [
    { name: 'platform', dependsOn: [] },
    { name: 'alpha', dependsOn: ['beta'] },
    { name: 'beta', dependsOn: [] },
  ]
  const cleanTree = (): Map<string, string> =>
    new Map([
      ['src/platform/index.ts', "export { db } from './db.ts'\n"],
      ['src/platform/db.ts', 'export const db = {}\n'],
      ['src/platform/testing/index.ts', 'export const testDb = {}\n'],
      [
        'src/modules/registry.ts',
        "import { alphaModule } from './alpha/module.ts'\nexport const modules = [alphaModule]\n",
      ],
      ['src/modules/alpha/module.ts', "import type { ModuleManifest } from '../../platform/index.ts'\n"],
      ['src/modules/alpha/index.ts', "export { a } from './a.service.ts'\n"],
      [
        'src/modules/alpha/a.service.ts',
        "import { db } from '../../platform/index.ts'\nimport { b } from '../beta/index.ts'\nexport const a = [db, b]\n",
      ],
      [
        'src/modules/alpha/a.service.test.ts',
        "import { testDb } from '../../platform/testing/index.ts'\nimport { makeB } from '../beta/test/factories.ts'\n",
      ],
      ['src/modules/beta/index.ts', "export { b } from './b.service.ts'\n"],
      ['src/modules/beta/b.service.ts', 'export const b = 1\n'],
      ['src/modules/beta/test/factories.ts', "import { testDb } from '../../../platform/testing/index.ts'\n"],
      ['src/cli/main.ts', "import { modules } from '../modules/registry.ts'\nimport '../platform/index.ts'\n"],
    ])

  it('finds nothing wrong in a tree that keeps the rules', () => {
    expect(describeViolations(checkModuleBoundaries(cleanTree(), manifests))).toEqual([])
  })

  it('reports a cross-module internal import, the module cycle and the file cycle it closes', () => {
    const files = cleanTree()
    files.set('src/modules/beta/b.service.ts', "import { a } from '../alpha/a.service.ts'\nexport const b = a\n")
    const violations = checkModuleBoundaries(files, [
      { name: 'alpha', dependsOn: ['beta'] },
      { name: 'beta', dependsOn: ['alpha'] },
    ])
    expect(violations).toEqual([
      {
        rule: 'module-internals',
        file: 'src/modules/beta/b.service.ts',
        message:
          'src/modules/beta/b.service.ts:1 imports src/modules/alpha/a.service.ts: use src/modules/alpha/index.ts',
      },
      { rule: 'module-cycle', file: 'src/modules/alpha/', message: 'module cycle: alpha → beta → alpha' },
      {
        rule: 'file-cycle',
        file: 'src/modules/alpha/a.service.ts',
        message:
          'import cycle: src/modules/alpha/a.service.ts → src/modules/beta/index.ts → ' +
          'src/modules/beta/b.service.ts → src/modules/alpha/a.service.ts',
      },
    ])
  })

  it('reports platform internals, the platform importing a module and the registry imported by a module', () => {
    const files = cleanTree()
    files.set('src/modules/beta/b.service.ts', "import { db } from '../../platform/db.ts'\nexport const b = db\n")
    files.set('src/modules/beta/c.ts', "import { testDb } from '../../platform/testing/index.ts'\n")
    files.set('src/modules/beta/d.ts', "const r = await import('../registry.ts')\n")
    files.set('src/modules/beta/d.test.ts', "import { modules } from '../registry.ts'\n")
    files.set('src/platform/db.ts', "import type { b } from '../modules/beta/index.ts'\nexport const db = {}\n")
    expect(describeViolations(checkModuleBoundaries(files, manifests))).toEqual([
      '[platform-imports-module] src/platform/db.ts:1 imports src/modules/beta/index.ts: the platform must not import modules',
      '[platform-internals] src/modules/beta/b.service.ts:1 imports src/platform/db.ts: use src/platform/index.ts',
      '[platform-internals] src/modules/beta/c.ts:1 imports src/platform/testing/index.ts: use src/platform/index.ts',
      '[module-internals] src/modules/beta/d.ts:1 imports src/modules/registry.ts: only the CLI, server and tests list every module',
    ])
  })

  it('reports a dependsOn that differs from the imports, an unregistered module and a test reaching too far', () => {
    const files = cleanTree()
    files.set('src/modules/gamma/index.ts', 'export {}\n')
    files.set('src/modules/beta/b.test.ts', "import { a } from '../alpha/index.ts'\n")
    const violations = checkModuleBoundaries(files, [
      { name: 'alpha', dependsOn: [] },
      { name: 'beta', dependsOn: ['delta'] },
    ])
    expect(describeViolations(violations)).toEqual([
      '[depends-on] src/modules/gamma/ has no manifest in src/modules/registry.ts',
      "[depends-on] 'alpha' imports src/modules/beta/ but its dependsOn lacks 'beta'",
      "[depends-on] 'beta' dependsOn unknown module 'delta'",
      "[depends-on] tests of 'alpha' import src/modules/beta/, which 'alpha' does not depend on",
      "[depends-on] tests of 'beta' import src/modules/alpha/, which 'beta' does not depend on",
    ])
  })

  it('ignores type-only import cycles, which are erased at runtime, but not dynamic import() cycles', () => {
    const typeOnly = new Map([
      ['src/x.ts', "import type { Y } from './y.ts'\nexport type X = Y\n"],
      ['src/y.ts', "import { type X } from './x.ts'\nexport type Y = X\n"],
    ])
    expect(checkModuleBoundaries(typeOnly, [])).toEqual([])
    const dynamic = new Map([
      ['src/x.ts', "export const y = () => import('./y.ts')\n"],
      ['src/y.ts', "import { y } from './x.ts'\nexport const z = y\n"],
    ])
    expect(describeViolations(checkModuleBoundaries(dynamic, []))).toEqual([
      '[file-cycle] import cycle: src/x.ts → src/y.ts → src/x.ts',
    ])
  })
})

describe('import parsing and cycle search', () => {
  it('reads static, export-from, side-effect, dynamic and import-type specifiers, resolving .js to .ts', () => {
    const files = new Map([
      ['src/a.ts', ''],
      ['src/b.ts', ''],
      ['src/c/index.ts', ''],
    ])
    const source = [
      "import { b } from './b.js'",
      "export * from './c'",
      "import './b.ts'",
      "import fs from 'node:fs'",
      "const lazy = () => import('./c/index.ts')",
      "type T = import('./b.ts').B",
      "export type { U } from './missing.ts'",
    ].join('\n')
    expect(collectImports('src/a.ts', source, files).map((e) => [e.line, e.to, e.resolved, e.typeOnly])).toEqual([
      [1, 'src/b.ts', true, false],
      [2, 'src/c/index.ts', true, false],
      [3, 'src/b.ts', true, false],
      [5, 'src/c/index.ts', true, false],
      [6, 'src/b.ts', true, true],
      [7, 'src/missing.ts', false, true],
    ])
  })

  it('reports each cycle once, from its first node, by the shortest path', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c', 'a'])],
      ['c', new Set(['a'])],
      ['d', new Set(['d'])],
      ['e', new Set(['a'])],
    ])
    expect(findCycles(graph)).toEqual([
      ['a', 'b', 'a'],
      ['d', 'd'],
    ])
  })
})
