import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import { AccountPage, createAccountAndSignIn } from './account.page.ts'
import { navigate, visit } from '../support/navigation.ts'
import type { Session } from '../support/session.ts'

/**
 * Through the pages: a champion asks a person for consent to choose in NHS care, the person grants it from their
 * own account, and the champion starts acting for them. Both are signed in on their own pages at the end.
 */
export async function championActsForPerson(
  session: Session,
  emails: { champion: string; person: string },
  { personJavaScript = false }: { personJavaScript?: boolean } = {},
): Promise<{ champion: Page; person: Page }> {
  const champion = await session.newPage()
  await createAccountAndSignIn(champion, emails.champion)
  await session.grantRole(emails.champion, 'champion')
  const person = await session.newPage({ javaScript: personJavaScript })
  await createAccountAndSignIn(person, emails.person)

  // The champion asks
  await visit(champion, '/account')
  const account = await AccountPage.verifyOnPage(champion, 'Your account')
  await navigate(champion, () => account.main.getByRole('link', { name: 'People you help' }).click())
  const dashboard = await AccountPage.verifyOnPage(champion, 'People you help')
  await navigate(champion, () => dashboard.main.getByRole('button', { name: 'Ask someone for consent' }).click())
  const ask = await AccountPage.verifyOnPage(champion, 'Ask someone for consent')
  await navigate(champion, () => ask.button('Send request').click(), { status: 400 })
  const askAgain = await AccountPage.verifyOnPage(champion, 'Ask someone for consent')
  expect(await askAgain.errorSummary.innerText()).toContain('Select at least one area the champion can help with')
  await askAgain.field('Email address').fill(emails.person)
  await askAgain.main.getByLabel('NHS care').check()
  await askAgain.main.getByLabel('Find, compare and choose providers').check()
  await askAgain.main.getByLabel('3 months').check()
  await navigate(champion, () => askAgain.button('Send request').click())
  const asked = await AccountPage.verifyOnPage(champion, 'People you help')
  expect(await asked.main.getByText('Waiting for an answer').isVisible()).toBe(true)

  // The person grants, in their own account
  await visit(person, '/account')
  const personAccount = await AccountPage.verifyOnPage(person, 'Your account')
  await navigate(person, () => personAccount.main.getByRole('link', { name: 'Choice champions helping you' }).click())
  const requests = await AccountPage.verifyOnPage(person, 'Choice champions helping you')
  await navigate(person, () => requests.main.getByRole('button', { name: 'Answer this request' }).click())
  const answer = await AccountPage.verifyOnPage(person, 'A choice champion has asked to help you')
  await answer.main.getByLabel('Yes, they can help me').check()
  await navigate(person, () => answer.button('Continue').click())
  const granted = await AccountPage.verifyOnPage(person, 'Choice champions helping you')
  expect(await granted.main.getByText('In place').isVisible()).toBe(true)

  // The champion acts for them
  await visit(champion, '/champion')
  const live = await AccountPage.verifyOnPage(champion, 'People you help')
  await navigate(champion, () => live.button(`Act for ${emails.person}`).click())
  expect(await champion.getByText(`You are acting for ${emails.person}`).isVisible()).toBe(true)
  return { champion, person }
}
