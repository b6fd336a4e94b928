import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { checkPage, lastStatus, type Session } from './session.ts'

/** Opens a path, checks the HTTP status, and runs axe on the page. */
export async function visit(page: Page, path: string, { status = 200 }: { status?: number } = {}): Promise<void> {
  const response = await page.goto(path)
  expect(response?.status(), `status of GET ${path}`).toBe(status)
  await checkPage(page)
}

/**
 * Does something that loads a new page (follows a link, sends a form), waits for it to load, checks the status
 * of the final document (after any redirect) and runs axe on it.
 */
export async function navigate(
  page: Page,
  action: () => Promise<unknown>,
  { status = 200 }: { status?: number } = {},
): Promise<void> {
  const loaded = page.waitForEvent('load')
  await action()
  await loaded
  expect(lastStatus(page), `status of ${page.url()}`).toBe(status)
  await checkPage(page)
}

/** The page's one h1, as the reader sees it. */
export async function headingText(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim()
}

/**
 * Opens the URL `page` is on in a new context with JavaScript turned off, checks the same h1 is shown (and
 * axe-checks the page), then, for forms, runs `submit` on it: fill in and send the form, and check the outcome.
 */
export async function expectWorksWithoutJavaScript(
  session: Session,
  page: Page,
  { status = 200, submit }: { status?: number; submit?: (noJs: Page) => Promise<void> } = {},
): Promise<void> {
  const heading = await headingText(page)
  const noJs = await session.newPage({ javaScript: false })
  await visit(noJs, page.url(), { status })
  const h1 = noJs.getByRole('heading', { level: 1 })
  expect(await h1.isVisible(), `the h1 is visible without JavaScript on ${page.url()}`).toBe(true)
  expect((await h1.innerText()).trim()).toBe(heading)
  if (submit) await submit(noJs)
}

/** The path and query of the page's address, for example `/providers?framework=nhs-care`. */
export function pathOf(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

/** Whether the element has keyboard focus (`:focus` is a standard pseudo-class, not a design-system class). */
export async function isFocused(locator: Locator): Promise<boolean> {
  return (await locator.and(locator.page().locator(':focus')).count()) === 1
}

/** The text of whatever has keyboard focus. */
export async function focusedText(page: Page): Promise<string> {
  return (await page.locator(':focus').innerText()).trim()
}

/** For `it.each`: the same journey with the page's JavaScript on, then off. */
export const JAVASCRIPT_ON_AND_OFF = [
  ['on', true],
  ['off', false],
] as const
