import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

export const SATISFACTION_LEGEND = 'Overall, how did you feel about the service you received today?'

export const SATISFACTION_OPTIONS = [
  'Very satisfied',
  'Satisfied',
  'Neither satisfied nor dissatisfied',
  'Dissatisfied',
  'Very dissatisfied',
] as const

export class FeedbackPage extends AppPage {
  constructor(page: Page) {
    super(page, 'Give feedback on OpenChoice')
  }

  get satisfaction(): Locator {
    return this.page.getByRole('group', { name: SATISFACTION_LEGEND })
  }

  option(name: (typeof SATISFACTION_OPTIONS)[number]): Locator {
    return this.satisfaction.getByRole('radio', { name, exact: true })
  }

  get comments(): Locator {
    return this.page.getByRole('textbox', { name: 'How could we improve this service?' })
  }

  get send(): Locator {
    return this.page.getByRole('button', { name: 'Send', exact: true })
  }
}

export class FeedbackSentPage extends AppPage {
  constructor(page: Page) {
    super(page, 'Thank you for your feedback')
  }
}
