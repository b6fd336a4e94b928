import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium; the browser layer never downloads a browser of its own. `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

const inCi = process.env.CI === 'true'
const chromiumMissing = !existsSync(CHROMIUM_PATH)

/**
 * True when the browser suites should be skipped: Chromium is missing and this is not CI. In CI a missing
 * Chromium is not a reason to skip: `launchBrowser` throws, so the suite fails instead of silently running nothing.
 */
export const skipBrowserLayer: boolean = chromiumMissing && !inCi

let warned = false

/** Prints, once, why the browser suites are skipped. Returns `skipBrowserLayer` for `describe.skipIf(...)`. */
export function browserLayerSkipped(): boolean {
  if (skipBrowserLayer && !warned) {
    warned = true
    console.warn(
      `Browser tests skipped: Chromium was not found at ${CHROMIUM_PATH}. Install it (apt-get install chromium) to run them; in CI (CI=true) they fail instead.`,
    )
  }
  return skipBrowserLayer
}

/** Launches headless Chromium, or throws a clear error if it is missing (which only reaches here in CI). */
export async function launchBrowser(): Promise<Browser> {
  if (chromiumMissing) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATH}, and CI=true, so the browser tests cannot be skipped. Install Chromium on the CI image.`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}
