import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** Find providers near a postcode in one type of service: the question, then filters and results to compare. */
export class FindPage extends AppPage {
  constructor(page: Page) {
    super(page, 'Find providers near you')
  }

  get postcode(): Locator {
    return this.page.getByLabel('Postcode', { exact: true })
  }

  get need(): Locator {
    return this.page.getByLabel('What you need', { exact: true })
  }

  get distance(): Locator {
    return this.page.getByLabel('Distance', { exact: true })
  }

  get sortBy(): Locator {
    return this.page.getByLabel('Sort by', { exact: true })
  }

  /** The button under the question, before any results. */
  get findButton(): Locator {
    return this.page.getByRole('button', { name: 'Find providers', exact: true })
  }

  get updateButton(): Locator {
    return this.page.getByRole('button', { name: 'Update results', exact: true })
  }

  /** The results: a list named by its "N providers found" heading. */
  get results(): Locator {
    return this.page.getByRole('list', { name: /providers? found$/ })
  }

  /** The names of the providers found, in the order shown. */
  async resultNames(): Promise<string[]> {
    return (await this.results.getByRole('heading', { level: 3 }).allInnerTexts()).map((n) => n.trim())
  }

  /** The box that adds a provider to the comparison (its name is read out after "Add to compare"). */
  addToCompare(name: string): Locator {
    return this.page.getByRole('checkbox', { name: `Add to compare ${name}`, exact: true })
  }

  get compareButton(): Locator {
    return this.page.getByRole('button', { name: 'Compare selected providers' })
  }
}
