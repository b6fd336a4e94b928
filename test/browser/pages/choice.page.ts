import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** A page of the choice journey (start, find, compare, choose, my choices, a provider's inbox), by its h1. */
export class ChoicePage extends AppPage {
  constructor(page: Page, title: string | RegExp) {
    super(page, title)
  }

  button(name: string): Locator {
    return this.main.getByRole('button', { name, exact: true })
  }
}
