import { describe, expect, it } from 'vitest'
import { AccountPage, createAccountAndSignIn } from './pages/account.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { navigate, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('choice champions', () => {
  const session = useBrowserSession()

  it('a champion asks for consent, the person grants it, the champion acts, the person revokes, the champion is refused', async () => {
    const championEmail = 'chris.champion@example.org'
    const personEmail = 'pat.person@example.org'
    const champion = await session.newPage()
    await createAccountAndSignIn(champion, championEmail)
    await session.grantRole(championEmail, 'champion')
    const person = await session.newPage({ javaScript: false })
    await createAccountAndSignIn(person, personEmail)

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
    await askAgain.field('Email address').fill(personEmail)
    await askAgain.main.getByLabel('NHS care').check()
    await askAgain.main.getByLabel('Find, compare and choose providers').check()
    await askAgain.main.getByLabel('3 months').check()
    await navigate(champion, () => askAgain.button('Send request').click())
    const asked = await AccountPage.verifyOnPage(champion, 'People you help')
    expect(await asked.main.getByText('Waiting for an answer').isVisible()).toBe(true)

    // The person grants, in their own account (without JavaScript)
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

    // The champion acts for them: adds a GP practice to their shortlist
    await visit(champion, '/champion')
    const live = await AccountPage.verifyOnPage(champion, 'People you help')
    await navigate(champion, () => live.button(`Act for ${personEmail}`).click())
    expect(await champion.getByText(`You are acting for ${personEmail}`).isVisible()).toBe(true)
    await visit(champion, '/providers?framework=nhs-care')
    await navigate(champion, () =>
      champion
        .getByRole('main')
        .getByRole('link')
        .filter({ hasText: /SURGERY|PRACTICE|CENTRE/i })
        .first()
        .click(),
    )
    const providerName = (await champion.getByRole('heading', { level: 1 }).innerText()).trim()
    const providerPath = new URL(champion.url()).pathname
    await navigate(champion, () =>
      champion.getByRole('button', { name: `Add to the shortlist for ${personEmail}` }).click(),
    )
    const shortlist = await AccountPage.verifyOnPage(champion, `Shortlist for ${personEmail}`)
    expect(await shortlist.main.getByText(providerName).isVisible()).toBe(true)

    // The person sees what was done for them, then withdraws consent
    await visit(person, '/account/champions/history')
    const history = await AccountPage.verifyOnPage(person, 'What has been done for you')
    expect(await history.main.getByText('Added a provider to your shortlist').isVisible()).toBe(true)
    await visit(person, '/shortlist')
    const personShortlist = await AccountPage.verifyOnPage(person, 'Your shortlist')
    expect(await personShortlist.main.getByText(providerName).isVisible()).toBe(true)

    await visit(champion, providerPath) // the champion opens the provider page again
    await visit(person, '/account/champions')
    const toRevoke = await AccountPage.verifyOnPage(person, 'Choice champions helping you')
    await navigate(person, () => toRevoke.button(`Withdraw consent from ${championEmail}`).click())
    const revoked = await AccountPage.verifyOnPage(person, 'Choice champions helping you')
    expect(await revoked.main.getByText('You have withdrawn your consent').isVisible()).toBe(true)

    // The champion, still on the page they opened before, is refused
    await navigate(
      champion,
      () => champion.getByRole('button', { name: `Add to the shortlist for ${personEmail}` }).click(),
      {
        status: 403,
      },
    )
    const refused = await AccountPage.verifyOnPage(champion, 'You cannot see this page')
    expect(await refused.main.getByText('You can no longer act for this person').isVisible()).toBe(true)
    expect(await champion.getByText('You are acting for').count()).toBe(0)
  })
})
