import path from 'node:path'
import ts from 'typescript'

/** The part of a module manifest the boundary check reads; `src/modules/registry.ts` exports the real ones. */
export interface ManifestLike {
  name: string
  dependsOn: readonly string[]
}

/** Which rule a violation breaks; the letters follow CONVENTIONS "How modules depend on each other". */
export type BoundaryRule =
  | 'module-internals' // (a) another module is imported through anything but its index.ts
  | 'platform-internals' // (b) the platform is imported through anything but index.ts (tests: testing/index.ts)
  | 'platform-imports-module' // (c) the platform reaches up into the modules
  | 'depends-on' // (d) a manifest's dependsOn differs from the modules its code imports
  | 'module-cycle' // (e) modules depend on each other in a loop
  | 'file-cycle' // (e) files import each other in a loop at runtime

export interface Violation {
  rule: BoundaryRule
  /** The importing file, or the module's folder for manifest-level findings. */
  file: string
  message: string
}

/** One import, export-from or dynamic import() of a relative specifier, resolved against the file map. */
export interface ImportEdge {
  from: string
  specifier: string
  /** Repository-relative path; points at a file in the map when `resolved`, else at where the file would be. */
  to: string
  resolved: boolean
  /** `import type`, `export type` or `import { type A }` only: erased at runtime, so it cannot form a runtime cycle. */
  typeOnly: boolean
  line: number
}

type Place =
  | { kind: 'module'; module: string; rest: string }
  | { kind: 'registry' }
  | { kind: 'platform'; rest: string }
  | { kind: 'other' }

const REGISTRY = 'src/modules/registry.ts'

function placeOf(file: string): Place {
  if (file === REGISTRY) return { kind: 'registry' }
  const inModule = /^src\/modules\/([^/]+)\/(.+)$/.exec(file)
  if (inModule) return { kind: 'module', module: inModule[1]!, rest: inModule[2]! }
  const inPlatform = /^src\/platform\/(.+)$/.exec(file)
  if (inPlatform) return { kind: 'platform', rest: inPlatform[1]! }
  return { kind: 'other' }
}

/** Test code: `*.test.ts` anywhere, and anything in a module's own `test/` folder (fixtures, factories). */
function isTestCode(file: string): boolean {
  const place = placeOf(file)
  return file.endsWith('.test.ts') || (place.kind === 'module' && place.rest.startsWith('test/'))
}

function platformEntryAllowed(from: string, rest: string): boolean {
  return rest === 'index.ts' || (rest === 'testing/index.ts' && isTestCode(from))
}

/** Each module's public surface is index.ts; its test/factories.ts is also public to other modules' tests. */
function moduleEntryAllowed(from: string, rest: string): boolean {
  return rest === 'index.ts' || (rest === 'test/factories.ts' && isTestCode(from))
}

function resolveSpecifier(from: string, specifier: string, files: ReadonlyMap<string, string>) {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier))
  const candidates = [target, target.replace(/\.(m?)js$/, '.$1ts'), `${target}.ts`, `${target}/index.ts`]
  const found = candidates.find((c) => files.has(c))
  return found ? { to: found, resolved: true } : { to: target, resolved: false }
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (!clause) return false // import './x.ts' runs the file
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  // Like import-x/no-cycle: `import { type A, type B }` only names types.
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  )
}

/** Every relative import in one file: static, export-from, import-equals, dynamic import() and import('x').T types. */
export function collectImports(file: string, source: string, files: ReadonlyMap<string, string>): ImportEdge[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const edges: ImportEdge[] = []
  const add = (literal: ts.Node | undefined, typeOnly: boolean) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return
    const specifier = literal.text
    if (!specifier.startsWith('.')) return // packages and node: builtins are outside the tree
    const line = sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line + 1
    edges.push({ from: file, specifier, ...resolveSpecifier(file, specifier, files), typeOnly, line })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node))
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node.isTypeOnly)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0], false)
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true)
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return edges
}

/** All relative imports of every .ts file in the map. */
export function collectImportGraph(files: ReadonlyMap<string, string>): ImportEdge[] {
  return [...files]
    .filter(([file]) => file.endsWith('.ts'))
    .flatMap(([file, source]) => collectImports(file, source, files))
}

/**
 * One cycle per strongly connected component (Tarjan), each as a path that starts and ends at the component's
 * alphabetically first node, so the report is stable.
 */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  const strongConnect = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter)
    counter++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component)
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v)

  return components
    .map((component) => {
      const members = new Set(component)
      const start = [...members].sort()[0]!
      // Breadth-first search inside the component for the shortest way from start back to start.
      const previous = new Map<string, string>()
      const queue = [start]
      search: while (queue.length > 0) {
        const v = queue.shift()!
        for (const w of [...(graph.get(v) ?? [])].sort()) {
          if (!members.has(w) || previous.has(w)) continue
          previous.set(w, v)
          if (w === start) break search
          queue.push(w)
        }
      }
      const cycle = [start]
      for (let v = previous.get(start)!; v !== start; v = previous.get(v)!) cycle.unshift(v)
      return [start, ...cycle]
    })
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
}

function addEdge(graph: Map<string, Set<string>>, from: string, to: string) {
  if (!graph.has(from)) graph.set(from, new Set())
  if (!graph.has(to)) graph.set(to, new Set())
  graph.get(from)!.add(to)
}

function closureOf(start: string, graph: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set<string>()
  const todo = [...(graph.get(start) ?? [])]
  while (todo.length > 0) {
    const next = todo.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    todo.push(...(graph.get(next) ?? []))
  }
  return seen
}

/**
 * Checks the module boundaries in CONVENTIONS ("How modules depend on each other") on a map of repository-relative
 * paths (`src/modules/budgets/index.ts`) to source text. Pure: the caller reads the tree, so tests can pass a fake.
 *
 * (a) a file in `src/modules/<a>/` imports another module only through `src/modules/<b>/index.ts` (test code may
 *     also use `<b>/test/factories.ts`, as CONVENTIONS asks modules to export factories for others' tests);
 *     code outside the modules (CLI, server) does the same, except that the registry imports each `module.ts`;
 *     only test code in a module may import the registry (to build the whole app);
 * (b) a file in `src/modules/` (or the CLI, server) imports the platform only through `src/platform/index.ts`, and
 *     test code also through `src/platform/testing/index.ts`;
 * (c) `src/platform/` never imports `src/modules/`;
 * (d) the modules a module's non-test code imports equal its manifest's `dependsOn`; its test code may import
 *     only modules it depends on, directly or not;
 * (e) neither the module graph nor the runtime file import graph has a cycle.
 */
export function checkModuleBoundaries(
  files: ReadonlyMap<string, string>,
  manifests: readonly ManifestLike[],
): Violation[] {
  const violations: Violation[] = []
  const edges = collectImportGraph(files)
  const imported = new Map<string, Set<string>>() // module → modules its non-test code imports
  const importedByTests = new Map<string, Set<string>>() // module → modules its test code imports

  for (const edge of edges) {
    const from = placeOf(edge.from)
    const to = placeOf(edge.to)
    const at = `${edge.from}:${edge.line}`
    const fail = (rule: BoundaryRule, message: string) => violations.push({ rule, file: edge.from, message })

    if (from.kind === 'platform') {
      if (to.kind === 'module' || to.kind === 'registry')
        fail('platform-imports-module', `${at} imports ${edge.to}: the platform must not import modules`)
      continue
    }

    if (to.kind === 'platform' && !platformEntryAllowed(edge.from, to.rest))
      fail('platform-internals', `${at} imports ${edge.to}: use src/platform/index.ts`)

    if (to.kind === 'module' && !(from.kind === 'module' && from.module === to.module)) {
      const viaManifest = from.kind === 'registry' && to.rest === 'module.ts'
      if (!viaManifest && !moduleEntryAllowed(edge.from, to.rest))
        fail('module-internals', `${at} imports ${edge.to}: use src/modules/${to.module}/index.ts`)
      if (from.kind === 'module') {
        const deps = isTestCode(edge.from) ? importedByTests : imported
        if (!deps.has(from.module)) deps.set(from.module, new Set())
        deps.get(from.module)!.add(to.module)
      }
    }

    if (to.kind === 'registry' && from.kind === 'module' && !isTestCode(edge.from))
      fail('module-internals', `${at} imports ${REGISTRY}: only the CLI, server and tests list every module`)
  }

  // (d) Manifests against the import graph, and every module folder against the registry.
  const moduleFolders = new Set(
    [...files.keys()].flatMap((f) => {
      const place = placeOf(f)
      return place.kind === 'module' ? [place.module] : []
    }),
  )
  const byName = new Map(manifests.filter((m) => m.name !== 'platform').map((m) => [m.name, m]))
  const declared = new Map<string, Set<string>>()
  for (const folder of [...moduleFolders].sort())
    if (!byName.has(folder))
      violations.push({
        rule: 'depends-on',
        file: `src/modules/${folder}/`,
        message: `src/modules/${folder}/ has no manifest in src/modules/registry.ts`,
      })
  for (const manifest of byName.values()) {
    const folder = `src/modules/${manifest.name}/`
    const fail = (message: string) => violations.push({ rule: 'depends-on', file: folder, message })
    if (!moduleFolders.has(manifest.name)) fail(`manifest '${manifest.name}' has no folder ${folder}`)
    // The platform sits under every module, so listing it in dependsOn is allowed but not required.
    const wants = new Set(manifest.dependsOn.filter((d) => d !== 'platform'))
    declared.set(manifest.name, wants)
    const has = imported.get(manifest.name) ?? new Set<string>()
    for (const dep of [...wants].sort()) {
      if (!byName.has(dep)) fail(`'${manifest.name}' dependsOn unknown module '${dep}'`)
      else if (!has.has(dep)) fail(`'${manifest.name}' dependsOn '${dep}' but never imports src/modules/${dep}/`)
    }
    for (const dep of [...has].sort())
      if (!wants.has(dep)) fail(`'${manifest.name}' imports src/modules/${dep}/ but its dependsOn lacks '${dep}'`)
  }
  const declaredGraph = new Map<string, Set<string>>()
  for (const [name, deps] of declared) for (const dep of deps) addEdge(declaredGraph, name, dep)
  for (const [name, deps] of importedByTests) {
    const reachable = closureOf(name, declaredGraph)
    for (const dep of [...deps].sort())
      if (!reachable.has(dep))
        violations.push({
          rule: 'depends-on',
          file: `src/modules/${name}/`,
          message: `tests of '${name}' import src/modules/${dep}/, which '${name}' does not depend on`,
        })
  }

  // (e) Cycles: modules by what they import or declare; files by runtime imports only.
  const moduleGraph = new Map<string, Set<string>>()
  for (const source of [imported, declared])
    for (const [name, deps] of source) for (const dep of deps) addEdge(moduleGraph, name, dep)
  for (const cycle of findCycles(moduleGraph))
    violations.push({
      rule: 'module-cycle',
      file: `src/modules/${cycle[0]}/`,
      message: `module cycle: ${cycle.join(' → ')}`,
    })

  const fileGraph = new Map<string, Set<string>>()
  for (const edge of edges) if (edge.resolved && !edge.typeOnly) addEdge(fileGraph, edge.from, edge.to)
  for (const cycle of findCycles(fileGraph))
    violations.push({ rule: 'file-cycle', file: cycle[0]!, message: `import cycle: ${cycle.join(' → ')}` })

  return violations
}
