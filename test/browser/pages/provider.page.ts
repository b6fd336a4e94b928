import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** One provider's details, named after the provider. */
export class ProviderPage extends AppPage {
  constructor(page: Page, name: string) {
    super(page, name)
  }

  /** The value next to a key in the details ("Address", "Type", ...). */
  detail(key: string): Locator {
    return this.page
      .getByRole('term')
      .filter({ hasText: new RegExp(`^\\s*${key}\\s*$`) })
      .locator('xpath=following-sibling::dd[1]')
  }

  get sourceHeading(): Locator {
    return this.page.getByRole('heading', { name: 'Source of this information', exact: true })
  }
}
