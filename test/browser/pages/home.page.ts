import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

export class HomePage extends AppPage {
  constructor(page: Page) {
    super(page, 'Choose the public services you use')
  }

  /** The link to one type of service ("NHS care", "School places", ...). */
  serviceLink(name: string): Locator {
    return this.main.getByRole('link', { name, exact: true })
  }
}
