import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

export const FFT_QUESTION = 'Overall, how was your experience of our service?'

/** The feedback pages of a provider's own staff, and the public pages a feedback link opens. */
export class FeedbackLinkPage extends AppPage {
  constructor(page: Page, title: string | RegExp) {
    super(page, title)
  }

  field(label: string | RegExp): Locator {
    return this.main.getByLabel(label, { exact: typeof label === 'string' })
  }

  button(name: string): Locator {
    return this.main.getByRole('button', { name, exact: true })
  }

  /** The FFT question's radios, by answer. */
  answer(name: string): Locator {
    return this.main.getByRole('group', { name: FFT_QUESTION }).getByRole('radio', { name, exact: true })
  }

  get comment(): Locator {
    return this.main.getByRole('textbox', { name: /Please tell us more/ })
  }

  /** On "Your feedback links": each link's address, as printed beside its QR code. */
  async madeLinks(): Promise<string[]> {
    const links = await this.main.getByRole('link', { name: /\/feedback\/give\// }).all()
    return Promise.all(links.map(async (l) => new URL((await l.getAttribute('href'))!).pathname))
  }

  get qrCodes(): Locator {
    return this.main.getByRole('img', { name: /^QR code for feedback link \d+$/ })
  }
}
