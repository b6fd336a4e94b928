import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import type { AxeResults, Result, RunOptions } from 'axe-core'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.2 AA, which is what the accessibility statement claims (and the Public Sector Bodies Regulations ask for). */
export const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
  resultTypes: ['violations'],
}

/** One violation per paragraph: rule, impact, help, link, then every failing element and why. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n')
      return `  [${v.id}] (${v.impact ?? 'unknown impact'}) ${v.help}\n    ${v.helpUrl}\n${nodes}`
    })
    .join('\n')
}

/**
 * With the page's JavaScript off, Chromium runs no timer callbacks (nor `queueMicrotask`), and axe waits on
 * `setTimeout(fn, 0)` between rules, so it would never finish. For the length of the run, `setTimeout` becomes a
 * promise reaction, which does still run.
 */
const RUN_WITHOUT_TIMERS = `(async () => {
  const original = window.setTimeout
  window.setTimeout = (fn, _ms, ...args) => { void Promise.resolve().then(() => fn(...args)); return 0 }
  try { return await window.axe.run(document, OPTIONS) } finally { window.setTimeout = original }
})()`

/**
 * Runs axe-core in the page. Playwright evaluates through the DevTools protocol, which the page's CSP does not
 * govern, so axe runs under the app's real CSP (no `bypassCSP`), and also where the page's own JavaScript is off
 * (say so with `javaScript: false`).
 */
export async function runAxe(page: Page, { javaScript = true }: { javaScript?: boolean } = {}): Promise<AxeResults> {
  const loaded = await page.evaluate('typeof window.axe === "object"')
  if (!loaded) await page.evaluate(axeSource)
  // Strings, not functions: the test transform may add helpers to a function that do not exist in the page.
  const options = JSON.stringify(AXE_OPTIONS)
  const script = javaScript ? `window.axe.run(document, ${options})` : RUN_WITHOUT_TIMERS.replace('OPTIONS', options)
  return (await page.evaluate(script)) as AxeResults
}

/** Fails with a readable list of violations if axe finds any on the page as it is now. */
export async function expectNoAxeViolations(page: Page, opts: { javaScript?: boolean } = {}): Promise<void> {
  const { violations } = await runAxe(page, opts)
  if (violations.length > 0) {
    throw new Error(
      `axe found ${violations.length} accessibility violation(s) on ${page.url()}:\n${describeViolations(violations)}`,
    )
  }
}
