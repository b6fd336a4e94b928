import { describe, expect, it } from 'vitest'
import { AccountPage, createAccountAndSignIn } from './pages/account.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('administrators', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'an administrator assigns a scoped role (JavaScript %s)',
    async (label, javaScript) => {
      const adminEmail = `ada.${label}@example.org`
      const staffEmail = `sam.${label}@example.org`
      const staff = await session.newPage()
      await createAccountAndSignIn(staff, staffEmail)
      const admin = await session.newPage({ javaScript })
      await createAccountAndSignIn(admin, adminEmail)
      await session.grantRole(adminEmail, 'admin')

      await visit(admin, '/account')
      const account = await AccountPage.verifyOnPage(admin, 'Your account')
      await navigate(admin, () => account.main.getByRole('link', { name: 'Manage accounts' }).click())
      const find = await AccountPage.verifyOnPage(admin, 'Manage accounts')
      await find.field('Email address').fill('nobody@example.org')
      await navigate(admin, () => find.button('Find account').click(), { status: 400 })
      const notFound = await AccountPage.verifyOnPage(admin, 'Manage accounts')
      expect(await notFound.errorSummary.innerText()).toContain('There is no account with this email address')
      await notFound.field('Email address').fill(staffEmail)
      await navigate(admin, () => notFound.button('Find account').click())
      const person = await AccountPage.verifyOnPage(admin, staffEmail)
      await navigate(admin, () => person.main.getByRole('button', { name: 'Add a role' }).click())

      const grant = await AccountPage.verifyOnPage(admin, 'Add a role')
      await grant.main.getByLabel('Provider staff').check()
      await grant.field('Where').fill('XX0000')
      await navigate(admin, () => grant.button('Add role').click(), { status: 400 })
      const retry = await AccountPage.verifyOnPage(admin, 'Add a role')
      expect(await retry.errorSummary.innerText()).toContain('We could not find that')
      // The error summary links to the field that needs fixing.
      await retry.errorSummary.getByRole('link').first().click()
      await retry.main.getByLabel('Provider staff').check()
      await retry.field('Where').fill('A81001')
      await navigate(admin, () => retry.button('Add role').click())
      const done = await AccountPage.verifyOnPage(admin, staffEmail)
      expect(await done.main.getByText('The role has been added.').isVisible()).toBe(true)
      expect(await done.main.getByText('Organisation: THE DENSHAM SURGERY').isVisible()).toBe(true)
    },
  )
})
