import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expectNoAxeViolations } from './axe.ts'
import { launchBrowser } from './browser.ts'
import { startServer, type TestServer } from './server.ts'
import type { AnyDb, Role } from '../../../src/platform/index.ts'

/** One browser and one running app, shared by every test in a spec file. */
export interface Session {
  /** Where the app listens, for example `http://127.0.0.1:41234`. */
  readonly baseUrl: string
  /** Grants a role on the running server, as the operator's command line does. */
  grantRole(email: string, role: Role, scope?: string): Promise<void>
  /** Runs the server's background jobs once as if the clock said `when`. */
  runJobsAt(when: Date): Promise<void>
  /** The server's database, for arranging data through modules' service functions. */
  readonly db: AnyDb
  /** A new, empty browser context (no cookies) and a page in it. It is closed after the test. */
  newPage(opts?: { javaScript?: boolean }): Promise<Page>
}

/** What the session watches on each page it opened. */
interface PageState {
  javaScript: boolean
  /** The document loaded most recently, if it has not been axe-checked yet. */
  pendingCheck: string | null
  /** Documents that were loaded and then left before anyone checked them: each is a test bug. */
  unchecked: string[]
  /** The HTTP status of the last main-frame document (after redirects). */
  lastStatus: number | null
  /** Uncaught page errors and Content Security Policy violations since the last check. */
  errors: string[]
}

const states = new WeakMap<Page, PageState>()

function stateOf(page: Page): PageState {
  const state = states.get(page)
  if (!state) throw new Error('This page was not opened through the browser session (session.newPage)')
  return state
}

function instrument(page: Page, javaScript: boolean): void {
  const state: PageState = { javaScript, pendingCheck: null, unchecked: [], lastStatus: null, errors: [] }
  states.set(page, state)
  page.on('domcontentloaded', () => {
    const url = page.url()
    if (url === 'about:blank') return
    if (state.pendingCheck) state.unchecked.push(state.pendingCheck)
    state.pendingCheck = url
  })
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
      state.lastStatus = response.status()
    }
  })
  page.on('pageerror', (error) => state.errors.push(`Uncaught error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      state.errors.push(`CSP violation: ${message.text()}`)
    }
  })
}

/** The HTTP status of the page's current document. */
export function lastStatus(page: Page): number | null {
  return stateOf(page).lastStatus
}

/**
 * Runs axe on the page's current document unless it has already been checked, and fails on any uncaught
 * script error or CSP violation. `visit`, `navigate` and every page object's `verifyOnPage` call this.
 */
export async function checkPage(page: Page): Promise<void> {
  const state = stateOf(page)
  if (state.errors.length > 0) {
    const errors = state.errors.splice(0)
    throw new Error(`The page ${page.url()} reported errors:\n  ${errors.join('\n  ')}`)
  }
  if (state.pendingCheck === null) return
  await expectNoAxeViolations(page, { javaScript: state.javaScript })
  state.pendingCheck = null
}

/**
 * Starts the app and Chromium once for the spec file (in parallel), gives each test fresh browser contexts,
 * and after each test fails it if any page it loaded was never axe-checked.
 */
export function useBrowserSession(): Session {
  let server: TestServer | undefined
  let browser: Browser | undefined
  let contexts: BrowserContext[] = []
  const pages: Page[] = []

  beforeAll(async () => {
    const [serverResult, browserResult] = await Promise.allSettled([startServer(), launchBrowser()])
    if (serverResult.status === 'fulfilled') server = serverResult.value
    if (browserResult.status === 'fulfilled') browser = browserResult.value
    if (serverResult.status === 'rejected') throw serverResult.reason
    if (browserResult.status === 'rejected') throw browserResult.reason
  })

  afterEach(async (ctx) => {
    const unchecked = pages.flatMap((p) => {
      const state = stateOf(p)
      return [...state.unchecked, ...(state.pendingCheck ? [state.pendingCheck] : [])]
    })
    const errors = pages.flatMap((p) => stateOf(p).errors.map((e) => `${p.url()}: ${e}`))
    pages.length = 0
    await Promise.all(contexts.map((c) => c.close()))
    contexts = []
    // A test that already failed stopped part-way: its unchecked last page is not news.
    if (ctx.task.result?.state === 'fail') return
    if (errors.length > 0) throw new Error(`Pages reported errors after their last check:\n  ${errors.join('\n  ')}`)
    if (unchecked.length > 0) {
      throw new Error(
        `Every page a test visits must be axe-checked (use visit, navigate or verifyOnPage). Not checked:\n  ${unchecked.join('\n  ')}`,
      )
    }
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  return {
    get baseUrl() {
      if (!server) throw new Error('The test server has not started')
      return server.baseUrl
    },
    async grantRole(email, role, scope) {
      if (!server) throw new Error('The test server has not started')
      await server.grantRole(email, role, scope)
    },
    async runJobsAt(when) {
      if (!server) throw new Error('The test server has not started')
      await server.runJobsAt(when)
    },
    get db() {
      if (!server) throw new Error('The test server has not started')
      return server.db
    },
    async newPage({ javaScript = true } = {}) {
      if (!browser || !server) throw new Error('The browser session has not started')
      const context = await browser.newContext({
        baseURL: server.baseUrl,
        javaScriptEnabled: javaScript,
        locale: 'en-GB',
      })
      contexts.push(context)
      const page = await context.newPage()
      instrument(page, javaScript)
      pages.push(page)
      return page
    },
  }
}
