import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** The provider search: filters on the left, results on the right. */
export class ProvidersPage extends AppPage {
  constructor(page: Page) {
    super(page, 'Find a provider')
  }

  get typeOfService(): Locator {
    return this.page.getByLabel('Type of service', { exact: true })
  }

  get providerName(): Locator {
    return this.page.getByLabel('Provider name', { exact: true })
  }

  get postcode(): Locator {
    return this.page.getByLabel('Postcode', { exact: true })
  }

  get distance(): Locator {
    return this.page.getByLabel('Distance', { exact: true })
  }

  get searchButton(): Locator {
    return this.page.getByRole('button', { name: 'Search', exact: true })
  }

  /** "N providers found": the heading that also names the list of results. */
  get resultsCount(): Locator {
    return this.page.getByRole('heading', { name: /^(\d[\d,]*|1) providers? found$/ })
  }

  /** The links to providers in the results. */
  get resultLinks(): Locator {
    return this.page.getByRole('list', { name: /providers? found$/ }).getByRole('link')
  }
}
