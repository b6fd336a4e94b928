import { describe, expect, it } from 'vitest'
import { AccountPage, latestLinkInOutbox } from './pages/account.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, pathOf, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'plum kettle orbit lantern'

describe.skipIf(browserLayerSkipped())('accounts', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'resident creates an account, confirms their email, signs in and signs out (JavaScript %s)',
    async (label, javaScript) => {
      const email = `amina.${label}@example.org`
      const page = await session.newPage({ javaScript })
      await visit(page, '/')
      await navigate(page, () => page.getByRole('link', { name: 'Sign in', exact: true }).click())
      const signIn = await AccountPage.verifyOnPage(page, 'Sign in to OpenChoice')
      await navigate(page, () => signIn.main.getByRole('link', { name: 'Create an account' }).click())

      const create = await AccountPage.verifyOnPage(page, 'Create an OpenChoice account')
      await create.field('Email address').fill(email)
      await create.field('Create a password').fill('password1234')
      await create.field('Type the password again').fill('password1234')
      await navigate(page, () => create.button('Create account').click(), { status: 400 })
      const withErrors = await AccountPage.verifyOnPage(page, 'Create an OpenChoice account')
      expect(await withErrors.errorSummary.innerText()).toContain('That password is too common')
      await withErrors.field('Create a password').fill(PASSWORD)
      await withErrors.field('Type the password again').fill(PASSWORD)
      await navigate(page, () => withErrors.button('Create account').click())
      await AccountPage.verifyOnPage(page, 'Check your email')

      await visit(page, '/dev/outbox')
      const link = await latestLinkInOutbox(page, '/verify-email')
      await visit(page, link)
      const confirm = await AccountPage.verifyOnPage(page, 'Confirm your email address')
      await navigate(page, () => confirm.button('Confirm email address').click())
      const signInAgain = await AccountPage.verifyOnPage(page, 'Sign in to OpenChoice')
      expect(await page.getByText('Your email address is confirmed.').isVisible()).toBe(true)

      await signInAgain.field('Email address').fill(email)
      await signInAgain.field('Password').fill(PASSWORD)
      await navigate(page, () => signInAgain.button('Sign in').click())
      const account = await AccountPage.verifyOnPage(page, 'Your account')
      expect(await account.main.getByText(email).isVisible()).toBe(true)

      await navigate(page, () => account.button('Sign out').click())
      await AccountPage.verifyOnPage(page, 'You have signed out')
      await visit(page, '/account')
      expect(pathOf(page)).toBe('/sign-in?next=%2Faccount')
    },
  )

  it('resident who forgot their password resets it and signs in with the new one', async () => {
    const email = 'ben@example.org'
    const page = await session.newPage()
    await visit(page, '/create-account')
    const create = await AccountPage.verifyOnPage(page, 'Create an OpenChoice account')
    await create.field('Email address').fill(email)
    await create.field('Create a password').fill(PASSWORD)
    await create.field('Type the password again').fill(PASSWORD)
    await navigate(page, () => create.button('Create account').click())

    await visit(page, '/sign-in')
    const signIn = await AccountPage.verifyOnPage(page, 'Sign in to OpenChoice')
    await navigate(page, () => signIn.main.getByRole('link', { name: 'I have forgotten my password' }).click())
    const request = await AccountPage.verifyOnPage(page, 'Reset your password')
    await request.field('Email address').fill(email)
    await navigate(page, () => request.button('Send reset link').click())
    await AccountPage.verifyOnPage(page, 'Check your email')

    await visit(page, '/dev/outbox')
    await visit(page, await latestLinkInOutbox(page, '/reset-password/new'))
    const reset = await AccountPage.verifyOnPage(page, 'Create a new password')
    await reset.field('Create a password').fill(NEW_PASSWORD)
    await reset.field('Type the password again').fill(NEW_PASSWORD)
    await navigate(page, () => reset.button('Save new password').click())
    const signInNew = await AccountPage.verifyOnPage(page, 'Sign in to OpenChoice')
    await signInNew.field('Email address').fill(email)
    await signInNew.field('Password').fill(NEW_PASSWORD)
    await navigate(page, () => signInNew.button('Sign in').click())
    await AccountPage.verifyOnPage(page, 'Your account')
  })
})
