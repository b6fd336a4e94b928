import { describe, expect, it } from 'vitest'
import { AccountPage } from './pages/account.page.ts'
import { championActsForPerson } from './pages/champion.flow.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { navigate, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('choice champions', () => {
  const session = useBrowserSession()

  it('a champion asks for consent, the person grants it, the champion acts, the person revokes, the champion is refused', async () => {
    const championEmail = 'chris.champion@example.org'
    const personEmail = 'pat.person@example.org'
    const { champion, person } = await championActsForPerson(session, { champion: championEmail, person: personEmail })

    // The champion acts for them: adds a GP practice to their shortlist
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
