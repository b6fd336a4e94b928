import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { checkPage } from '../support/session.ts'

/**
 * A page of the service as a reader finds it. `verifyOnPage` checks the h1 says what this page should say, and
 * that the page has been axe-checked. Elements are found by role, label and text, never by a design-system CSS class.
 */
export abstract class AppPage {
  readonly heading: Locator

  protected constructor(
    readonly page: Page,
    readonly title: string | RegExp,
  ) {
    this.heading = page.getByRole('heading', { level: 1 })
  }

  static async verifyOnPage<T extends AppPage, A extends unknown[]>(
    this: new (page: Page, ...args: A) => T,
    page: Page,
    ...args: A
  ): Promise<T> {
    const onPage = new this(page, ...args)
    await onPage.checkOnPage()
    return onPage
  }

  async checkOnPage(): Promise<void> {
    const text = (await this.heading.innerText()).trim()
    if (typeof this.title === 'string') expect(text, `h1 of ${this.page.url()}`).toBe(this.title)
    else expect(text, `h1 of ${this.page.url()}`).toMatch(this.title)
    await checkPage(this.page)
  }

  get skipLink(): Locator {
    return this.page.getByRole('link', { name: /^(Skip to main content|Neidio i'r prif gynnwys)$/ })
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  /** A link in the language navigation, named in its own language ("English", "Cymraeg"). */
  languageLink(language: 'English' | 'Cymraeg'): Locator {
    return this.page
      .getByRole('navigation', { name: /^(Language|Iaith)$/ })
      .getByRole('link', { name: language, exact: true })
  }

  footerLink(name: string): Locator {
    return this.page.getByRole('contentinfo').getByRole('link', { name, exact: true })
  }

  /** The error summary: the alert at the top of a form page that was sent with mistakes. */
  get errorSummary(): Locator {
    return this.page.getByRole('alert')
  }

  async htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang')
  }
}
