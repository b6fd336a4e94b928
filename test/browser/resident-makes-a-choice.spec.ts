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

let staffAccounts = 0
let daysLater = 30

/** Provider staff of the practice with ODS code `ods` open their inbox and answer the newest request. */
async function staffAnswer(session: Session, ods: string, answer: (page: ChoicePage) => Promise<void>) {
  const email = `staff${++staffAccounts}.${ods.toLowerCase()}@example.org`
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

/** The newest request on the person's "My choices". */
async function openMyChoice(page: Page): Promise<ChoicePage> {
  await visit(page, '/my-choices')
  const mine = await ChoicePage.verifyOnPage(page, /^(Your choices|Choices for )/)
  await navigate(page, () => mine.main.getByRole('link').first().click())
  return ChoicePage.verifyOnPage(page, /^Your request to /)
}

/** Who makes the choice: `chooser` at the keyboard, for the person whose "My choices" is `person`. */
type Choosers = { chooser: Page; person: Page }

/** Find, compare, choose The Densham Surgery; its staff accept; the person sees it accepted. */
async function choiceAccepted(session: Session, { chooser, person }: Choosers) {
  const choose = await findCompareAndChoose(chooser, DENSHAM)
  await choose.main.getByLabel(/Is there anything the provider should know/).fill('I use a wheelchair.')
  await navigate(chooser, () => choose.button('Send request').click())
  const sent = await ChoicePage.verifyOnPage(chooser, /^Your request to /)
  expect(await sent.main.getByText('Request sent').isVisible()).toBe(true)
  await staffAnswer(session, 'A81001', async (request) => {
    expect(await request.main.getByText('I use a wheelchair.').isVisible()).toBe(true)
    await request.main.getByLabel('Accept').check()
  })
  const accepted = await openMyChoice(person)
  expect(await accepted.main.getByText('Accepted', { exact: true }).isVisible()).toBe(true)
}

/** Find, choose Queens Park Medical Centre; its staff decline; the person is told how to seek redress. */
async function choiceDeclined(session: Session, { chooser, person }: Choosers) {
  const choose = await findCompareAndChoose(chooser, QUEENS_PARK)
  await navigate(chooser, () => choose.button('Send request').click())
  await ChoicePage.verifyOnPage(chooser, /^Your request to /)
  await staffAnswer(session, 'A81002', async (request) => {
    await request.main.getByLabel('Decline').check()
    await request.main.getByLabel('The person lives outside the area the provider serves').check()
  })
  const declined = await openMyChoice(person)
  expect(await declined.main.getByRole('heading', { name: 'You have not been given your choice' }).isVisible()).toBe(
    true,
  )
  expect(await declined.main.getByText('The person lives outside the area the provider serves').isVisible()).toBe(true)
  expect(await declined.main.getByRole('heading', { name: 'How to challenge this' }).isVisible()).toBe(true)
  expect(
    await declined.main.getByRole('link', { name: /Parliamentary and Health Service Ombudsman/ }).isVisible(),
  ).toBe(true)
}

/** Choose The Densham Surgery; five working days pass with no answer; the person sees a choice not given. */
async function choiceNotAnswered(session: Session, { chooser, person }: Choosers) {
  const choose = await findCompareAndChoose(chooser, DENSHAM)
  await navigate(chooser, () => choose.button('Send request').click())
  await ChoicePage.verifyOnPage(chooser, /^Your request to /)
  // The deadline job runs as if weeks had passed (each run later than the last, as the job runs every 5 minutes).
  daysLater += 1
  await session.runJobsAt(new Date(Date.now() + daysLater * 24 * 3600_000))
  const notAnswered = await openMyChoice(person)
  expect(await notAnswered.main.getByText('Not answered in time').isVisible()).toBe(true)
  expect(await notAnswered.main.getByRole('heading', { name: 'How to challenge this' }).isVisible()).toBe(true)
}

describe.skipIf(browserLayerSkipped())('making a choice', () => {
  const session = useBrowserSession()

  it('a resident finds, compares and chooses a GP practice, and the practice accepts', async () => {
    const resident = await session.newPage()
    await createAccountAndSignIn(resident, 'rita.resident@example.org')
    await choiceAccepted(session, { chooser: resident, person: resident })
  })

  it('a resident without JavaScript chooses, the practice declines, and the resident is told how to seek redress', async () => {
    const resident = await session.newPage({ javaScript: false })
    await createAccountAndSignIn(resident, 'ravi.resident@example.org')
    await choiceDeclined(session, { chooser: resident, person: resident })
  })

  it('a resident chooses, the deadline passes with no answer, and the choice not given is shown', async () => {
    const resident = await session.newPage()
    await createAccountAndSignIn(resident, 'rosa.resident@example.org')
    await choiceNotAnswered(session, { chooser: resident, person: resident })
  })

  it('a champion does all three for a consenting person, who sees each on their own page', async () => {
    const personEmail = 'pat.person@example.org'
    const { champion, person } = await championActsForPerson(session, {
      champion: 'chris.champion@example.org',
      person: personEmail,
    })
    const choosers = { chooser: champion, person }
    await choiceAccepted(session, choosers)
    await choiceDeclined(session, choosers)
    await choiceNotAnswered(session, choosers)
    const mine = await openMyChoice(person)
    expect(await mine.main.getByText(/Sent on .* by a choice champion/).isVisible()).toBe(true)
  })
})
