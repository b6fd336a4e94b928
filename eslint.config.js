// @ts-check
import { defineConfig, globalIgnores } from 'eslint/config'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Import cycles are checked by test/architecture/module-boundaries.test.ts (file and module level), not by
// eslint-plugin-import-x: its native resolver has no packages for other platforms in our registry, so `npm ci`
// would fail on a fresh machine.
//
// Module boundaries (CONVENTIONS: how modules depend on each other). `no-restricted-imports` sees only the
// specifier text, so the patterns are written per folder depth: `levels` counts the folders between `src/` and
// the linted file (src/server.ts: 0, src/cli/x.ts: 1, src/modules/budgets/x.ts: 2). A relative specifier can
// reach `src/modules/` straight up (`../budgets/x.ts`) or through `src/` (`../../modules/budgets/x.ts`); both
// are matched. test/architecture/module-boundaries.test.ts checks the same rules on resolved paths, and also
// dependsOn and cycles.
const MAX_LEVELS = 8
const up = (n) => (n === 0 ? '\\./' : `(?:\\.\\./){${n}}`)
const name = '[^./][^/]*' // a folder name; never `.` or `..`
const either = (...prefixes) => `(?:${prefixes.join('|')})`
const only = (...entries) => `(?!(?:${entries.join('|')})$)`
const moduleMessage =
  "Import another module only through its index.ts (CONVENTIONS: import only another module's index.ts)."
const platformMessage = 'Import the platform only through src/platform/index.ts (tests: src/platform/testing/index.ts).'

/** Restrictions for a file `levels` folders below src/, in `area`; test code gets the test-only entry points. */
function boundaryPatterns(area, levels, test) {
  const toSrc = up(levels)
  const toModules =
    area === 'module' || area === 'registry' ? either(up(levels - 1), `${toSrc}modules/`) : `${toSrc}modules/`
  if (area === 'platform')
    return [{ regex: `^${toSrc}modules(?:/|$)`, message: 'The platform must not import modules; modules plug in.' }]
  const toPlatform = `${toSrc}platform/`
  const moduleEntries = ['index\\.ts']
  if (area === 'registry') moduleEntries.push('module\\.ts')
  if (test) moduleEntries.push('test/factories\\.ts')
  const patterns = [
    { regex: `^${toModules}${name}/${only(...moduleEntries)}`, message: moduleMessage },
    { regex: `^${toPlatform}${only('index\\.ts', ...(test ? ['testing/index\\.ts'] : []))}`, message: platformMessage },
  ]
  if (area === 'module' && !test)
    patterns.push({
      regex: `^${toModules}registry(?:\\.ts)?$`,
      message: 'Only the CLI, the server and tests import src/modules/registry.ts.',
    })
  return patterns
}

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
})
const stars = (n) => '*/'.repeat(n)

const boundaries = []
for (let levels = 0; levels <= MAX_LEVELS; levels++) {
  // src/server.ts, src/cli/**: another module only through index.ts, the platform only through index.ts.
  const outside = { ignores: ['src/modules/**', 'src/platform/**'] }
  boundaries.push({ ...restrict([`src/${stars(levels)}*.ts`], boundaryPatterns('other', levels, false)), ...outside })
  boundaries.push({
    ...restrict([`src/${stars(levels)}*.test.ts`], boundaryPatterns('other', levels, true)),
    ...outside,
  })
  // src/modules/registry.ts may also import each module's module.ts.
  if (levels === 1) boundaries.push(restrict(['src/modules/*.ts'], boundaryPatterns('registry', 1, false)))
  if (levels >= 1)
    boundaries.push(restrict([`src/platform/${stars(levels - 1)}*.ts`], boundaryPatterns('platform', levels)))
  if (levels >= 2) {
    const inModule = `src/modules/*/${stars(levels - 2)}`
    boundaries.push(restrict([`${inModule}*.ts`], boundaryPatterns('module', levels, false)))
    // Test code: *.test.ts, and a module's own test/ folder (fixtures, factories).
    const testFiles = [`${inModule}*.test.ts`]
    if (levels >= 3) testFiles.push(`src/modules/*/test/${stars(levels - 3)}*.ts`)
    boundaries.push(restrict(testFiles, boundaryPatterns('module', levels, true)))
  }
}

export default defineConfig(
  globalIgnores(['node_modules/', '.openchoice/', 'data/', 'test-results/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'openchoice/typescript',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Migrations take Kysely<any> and are frozen in time (CONVENTIONS: config and migrations).
    name: 'openchoice/migrations',
    files: ['src/**/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    name: 'openchoice/node-scripts',
    files: ['bin/**/*.js', '*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    name: 'openchoice/browser-assets',
    files: ['src/platform/assets/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  ...boundaries.map((block, i) => ({ name: `openchoice/module-boundaries-${i}`, ...block })),
)
