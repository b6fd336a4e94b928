import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** Two to four providers side by side: one column per provider, one row per thing compared. */
export class ComparePage extends AppPage {
  constructor(page: Page) {
    super(page, 'Compare providers')
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: /providers side by side$/ })
  }

  /** The providers compared, as the column headers name them. */
  async providerNames(): Promise<string[]> {
    return (await this.table.getByRole('columnheader').allInnerTexts()).map((n) => n.trim()).filter(Boolean)
  }

  /** Each provider's value in one row, by the row's header ("Latest rating", "Waiting time"). */
  async row(name: string): Promise<string[]> {
    const row = this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
    return (await row.getByRole('cell').allInnerTexts()).map((v) => v.trim())
  }

  chooseLink(provider: string): Locator {
    return this.table.getByRole('link', { name: `Choose this provider: ${provider}`, exact: true })
  }
}
