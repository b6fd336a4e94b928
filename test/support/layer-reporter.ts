import { mkdirSync, writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

interface Counts {
  passed: number
  failed: number
  skipped: number
}

/**
 * Counts tests per layer (the Vitest project) and, for DB and route tests, per database (the dialect each
 * `describe.each(testDialects())` block is named after). Writes test-results/layers.json for .ci/run and
 * ends with the plain "N passed, N failed" line.
 */
export default class LayerReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const layers: Record<string, Counts> = {}
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const dialect = /(^|\s)(pglite|postgres)(\s|$)/.exec(test.fullName)?.[2]
        const layer = dialect ? `${mod.project.name} (${dialect})` : mod.project.name
        const counts = (layers[layer] ??= { passed: 0, failed: 0, skipped: 0 })
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
    }
    const total = Object.values(layers).reduce(
      (a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }),
      { passed: 0, failed: 0, skipped: 0 },
    )
    mkdirSync('test-results', { recursive: true })
    writeFileSync('test-results/layers.json', JSON.stringify({ layers, total }, null, 2))
    const lines = Object.entries(layers)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([layer, c]) => `  ${layer.padEnd(22)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`)
    process.stdout.write(
      `\nTests by layer:\n${lines.join('\n')}\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`,
    )
  }
}
