import type { Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** The footer's pages: their h1 is their title. */
export const FOOTER_PAGES = [
  { link: 'Accessibility statement', path: '/accessibility', title: 'Accessibility statement for OpenChoice' },
  { link: 'Cookies', path: '/cookies', title: 'Cookies' },
  { link: 'Privacy notice', path: '/privacy', title: 'Privacy notice' },
  { link: 'Open data', path: '/open-data', title: 'Open data' },
  { link: 'Feedback', path: '/feedback', title: 'Give feedback on OpenChoice' },
] as const

/** A page of mostly text: the accessibility statement, cookies, privacy notice, open data. */
export class SitePage extends AppPage {
  constructor(page: Page, title: string) {
    super(page, title)
  }
}

export class NotFoundPage extends AppPage {
  constructor(page: Page) {
    super(page, 'Page not found')
  }
}
