import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** A provider's public feedback page: figures, chart, the table beside it, comments; and the open data page. */
export class ProviderFeedbackPage extends AppPage {
  constructor(page: Page, title: string | RegExp) {
    super(page, title)
  }

  get chart(): Locator {
    return this.main.getByRole('img', { name: /^Percentage of people who said very good or good, each month/ })
  }

  /** The month-by-month table's row for a month ("April 2025"), as its cells' text. */
  async monthRow(month: string): Promise<string[]> {
    const row = this.main
      .getByRole('table', { name: 'Feedback each month' })
      .getByRole('row', { name: new RegExp(`^${month}`) })
    return (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim())
  }

  link(name: string | RegExp): Locator {
    return this.main.getByRole('link', { name })
  }
}
