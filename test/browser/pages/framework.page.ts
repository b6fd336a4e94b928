import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** What a person can choose in one type of service, such as "NHS care". */
export class FrameworkPage extends AppPage {
  constructor(page: Page, name: string) {
    super(page, name)
  }

  /** The start button (a link drawn as a button, so its role is button): find providers near a postcode. */
  get findProviders(): Locator {
    return this.page.getByRole('button', { name: 'Find providers near you' })
  }

  /** Every provider listed in this type of service, in the directory. */
  get seeProviders(): Locator {
    return this.page.getByRole('link', { name: 'See providers' })
  }
}
