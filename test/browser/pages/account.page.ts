import type { Locator, Page } from 'playwright-core'
import { AppPage } from './page.ts'
import { navigate, visit } from '../support/navigation.ts'

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

const PASSWORD = 'correct horse battery staple'

/** Creates an account through the pages, confirms it from the outbox and signs in; ends on "Your account". */
export async function createAccountAndSignIn(page: Page, email: string): Promise<AccountPage> {
  await visit(page, '/create-account')
  const create = await AccountPage.verifyOnPage(page, 'Create an OpenChoice account')
  await create.field('Email address').fill(email)
  await create.field('Create a password').fill(PASSWORD)
  await create.field('Type the password again').fill(PASSWORD)
  await navigate(page, () => create.button('Create account').click())
  await visit(page, '/dev/outbox')
  await visit(page, await latestLinkInOutbox(page, '/verify-email'))
  const confirm = await AccountPage.verifyOnPage(page, 'Confirm your email address')
  await navigate(page, () => confirm.button('Confirm email address').click())
  const signIn = await AccountPage.verifyOnPage(page, 'Sign in to OpenChoice')
  await signIn.field('Email address').fill(email)
  await signIn.field('Password').fill(PASSWORD)
  await navigate(page, () => signIn.button('Sign in').click())
  return AccountPage.verifyOnPage(page, 'Your account')
}
