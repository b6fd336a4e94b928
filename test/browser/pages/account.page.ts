import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'

/** Any of the account pages (create, sign in, reset, your account): they share their fields and buttons. */
export class AccountPage extends AppPage {
  constructor(page: Page, title: string) {
    super(page, title)
  }

  field(label: string): Locator {
    return this.main.getByLabel(label, { exact: true })
  }

  button(name: string): Locator {
    return this.main.getByRole('button', { name, exact: true })
  }
}

/** The development outbox, where emails wait when GOV.UK Notify is not configured. */
export async function latestLinkInOutbox(page: Page, path: string): Promise<string> {
  const text = await page.getByRole('main').innerText()
  const links = [...text.matchAll(new RegExp(`${path}\\?token=[\\w-]{43}`, 'g'))].map((m) => m[0])
  if (!links.length) throw new Error(`No ${path} link in the outbox`)
  return links[0]!
}
