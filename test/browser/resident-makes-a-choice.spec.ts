import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createAccountAndSignIn } from './pages/account.page.ts'
import { championActsForPerson } from './pages/champion.flow.ts'
import { ChoicePage } from './pages/choice.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { navigate, visit } from './support/navigation.ts'
import { useBrowserSession, type Session } from './support/session.ts'

const DENSHAM = /densham surgery/i
const QUEENS_PARK = /queens park medical centre/i

/** From the NHS care start page: find GP practices near TS18 1HU, compare two, and choose `chosen`. */
async function findCompareAndChoose(page: Page, chosen: RegExp): Promise<ChoicePage> {
  await visit(page, '/choose/nhs-care')
  const start = await ChoicePage.verifyOnPage(page, 'NHS care')
  await navigate(page, () => start.main.getByRole('button', { name: 'Find providers near you' }).click())
  const find = await ChoicePage.verifyOnPage(page, 'Find providers near you')
  await find.main.getByLabel('Postcode').fill('TS18 1HU')
  await navigate(page, () => find.button('Find providers').click())
  const results = await ChoicePage.verifyOnPage(page, 'Find providers near you')
  expect(
    await results.main
      .getByText(/right to choose/)
      .first()
      .isVisible(),
  ).toBe(true) // the choice prompt
  await results.main.getByRole('checkbox', { name: DENSHAM }).check()
  await results.main.getByRole('checkbox', { name: QUEENS_PARK }).check()
  await navigate(page, () => results.button('Compare selected providers').click())
  const compare = await ChoicePage.verifyOnPage(page, 'Compare providers')
  await navigate(page, () =>
    compare.main.getByRole('link', { name: new RegExp(`Choose this provider\\s*:.*${chosen.source}`, 'i') }).click(),
  )
  return ChoicePage.verifyOnPage(page, 'Ask to register with this GP practice')
}

/** Provider staff of the practice with ODS code `ods` open their inbox and answer the newest request. */
async function staffAnswer(session: Session, ods: string, answer: (page: ChoicePage) => Promise<void>) {
  const email = `staff.${ods.toLowerCase()}@example.org`
  const staff = await session.newPage({ javaScript: false })
  await createAccountAndSignIn(staff, email)
  await session.grantRole(email, 'provider-staff', ods)
  await visit(staff, '/provider-requests')
  const inbox = await ChoicePage.verifyOnPage(staff, 'Choice requests')
  await navigate(staff, () =>
    inbox.main
      .getByRole('link', { name: /^Request to / })
      .first()
      .click(),
  )
  const request = await ChoicePage.verifyOnPage(staff, /^Request to /)
  await answer(request)
  await navigate(staff, () => request.button('Save answer').click())
  const saved = await ChoicePage.verifyOnPage(staff, /^Request to /)
  expect(await saved.main.getByText('Your answer has been saved and the person has been told.').isVisible()).toBe(true)
}

/** The person's own request page, from "My choices". */
async function openMyChoice(page: Page): Promise<ChoicePage> {
  await visit(page, '/my-choices')
  const mine = await ChoicePage.verifyOnPage(page, /^(Your choices|Choices for )/)
  await navigate(page, () => mine.main.getByRole('link').first().click())
  return ChoicePage.verifyOnPage(page, /^Your request to /)
}

describe.skipIf(browserLayerSkipped())('making a choice', () => {
  const session = useBrowserSession()

  it('a resident finds, compares and chooses a GP practice, and the practice accepts', async () => {
    const resident = await session.newPage()
    await createAccountAndSignIn(resident, 'rita.resident@example.org')
    const choose = await findCompareAndChoose(resident, DENSHAM)
    await choose.main.getByLabel(/Is there anything the provider should know/).fill('I use a wheelchair.')
    await navigate(resident, () => choose.button('Send request').click())
    const sent = await ChoicePage.verifyOnPage(resident, /^Your request to /)
    expect(await sent.main.getByText('Request sent').isVisible()).toBe(true)

    await staffAnswer(session, 'A81001', async (request) => {
      expect(await request.main.getByText('I use a wheelchair.').isVisible()).toBe(true)
      await request.main.getByLabel('Accept').check()
    })
    const accepted = await openMyChoice(resident)
    expect(await accepted.main.getByText('Accepted', { exact: true }).isVisible()).toBe(true)
  })

  it('a resident without JavaScript chooses, the practice declines, and the resident is told how to seek redress', async () => {
    const resident = await session.newPage({ javaScript: false })
    await createAccountAndSignIn(resident, 'ravi.resident@example.org')
    const choose = await findCompareAndChoose(resident, QUEENS_PARK)
    await navigate(resident, () => choose.button('Send request').click())
    await ChoicePage.verifyOnPage(resident, /^Your request to /)

    await staffAnswer(session, 'A81002', async (request) => {
      await request.main.getByLabel('Decline').check()
      await request.main.getByLabel('The person lives outside the area the provider serves').check()
    })
    const declined = await openMyChoice(resident)
    expect(await declined.main.getByRole('heading', { name: 'You have not been given your choice' }).isVisible()).toBe(
      true,
    )
    expect(await declined.main.getByText('The person lives outside the area the provider serves').isVisible()).toBe(
      true,
    )
    expect(await declined.main.getByRole('heading', { name: 'How to challenge this' }).isVisible()).toBe(true)
    expect(
      await declined.main.getByRole('link', { name: /Parliamentary and Health Service Ombudsman/ }).isVisible(),
    ).toBe(true)
  })

  it('a champion finds, compares and chooses for a consenting person; no answer by the deadline is shown to both', async () => {
    const personEmail = 'pat.person@example.org'
    const { champion, person } = await championActsForPerson(session, {
      champion: 'chris.champion@example.org',
      person: personEmail,
    })
    const choose = await findCompareAndChoose(champion, DENSHAM)
    expect(await choose.main.getByText(`You are helping ${personEmail} choose`).isVisible()).toBe(true)
    await navigate(champion, () => choose.button('Send request').click())
    await ChoicePage.verifyOnPage(champion, /^Your request to /)

    // Five working days pass with no answer; the deadline job runs.
    await session.runJobsAt(new Date(Date.now() + 30 * 24 * 3600_000))
    const seenByPerson = await openMyChoice(person)
    expect(await seenByPerson.main.getByText('Not answered in time').isVisible()).toBe(true)
    expect(await seenByPerson.main.getByText(/Sent on .* by a choice champion/).isVisible()).toBe(true)
    expect(await seenByPerson.main.getByRole('heading', { name: 'How to challenge this' }).isVisible()).toBe(true)
    const seenByChampion = await openMyChoice(champion)
    expect(await seenByChampion.main.getByText('Not answered in time').isVisible()).toBe(true)
  })
})
