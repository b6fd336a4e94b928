import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createAccountAndSignIn } from './pages/account.page.ts'
import { FeedbackLinkPage } from './pages/feedback-link.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, visit } from './support/navigation.ts'
import { useBrowserSession, type Session } from './support/session.ts'

// Constructed files in NHS England's published FFT layout (see that folder's README): no real rows are available.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../src/modules/feedback/test/fixtures')
const COUNTS_FILE = join(FIXTURES, 'fft-gp-practice.constructed.csv')
const MALFORMED_FILE = join(FIXTURES, 'fft-malformed.constructed.csv')

/** Staff of The Densham Surgery (ODS A81001, in the demo data) sign in; returns their page and the service's id. */
async function signInAsStaff(session: Session, email: string, javaScript: boolean) {
  const staff = await session.newPage({ javaScript })
  await createAccountAndSignIn(staff, email)
  await session.grantRole(email, 'provider-staff', 'A81001')
  await visit(staff, '/listings')
  const listings = await FeedbackLinkPage.verifyOnPage(staff, "Your organisation's listings")
  const href = await listings.main
    .getByRole('link', { name: /densham surgery/i })
    .first()
    .getAttribute('href')
  return { staff, serviceId: href!.split('/')[2]! }
}

async function makeLinks(staff: Page, serviceId: string, count: number): Promise<string[]> {
  await visit(staff, `/providers/${serviceId}/feedback-links`)
  const form = await FeedbackLinkPage.verifyOnPage(staff, 'Make feedback links')
  await form.field('How many links').fill(String(count))
  await navigate(staff, () => form.button('Make links').click())
  const made = await FeedbackLinkPage.verifyOnPage(staff, 'Your feedback links')
  expect(await made.qrCodes.count()).toBe(count)
  expect(await made.main.getByText('They will not be shown again.').isVisible()).toBe(true)
  return made.madeLinks()
}

describe.skipIf(browserLayerSkipped())('feedback through a provider’s link', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'staff make a link, a visitor gives feedback through it without an account, and it refuses a second use (JavaScript %s)',
    async (label, javaScript) => {
      const { staff, serviceId } = await signInAsStaff(session, `links.${label}@example.org`, javaScript)
      const [link] = await makeLinks(staff, serviceId, 2)

      const visitor = await session.newPage({ javaScript })
      await visit(visitor, link!)
      const give = await FeedbackLinkPage.verifyOnPage(visitor, 'Tell us about your experience')
      expect(
        await give.main
          .getByText(/densham surgery/i)
          .first()
          .isVisible(),
      ).toBe(true)
      for (const answer of ['Very good', 'Good', 'Neither good nor poor', 'Poor', 'Very poor', 'Don’t know'])
        expect(await give.answer(answer).isChecked()).toBe(false)

      await navigate(visitor, () => give.button('Send feedback').click(), { status: 400 })
      const withErrors = await FeedbackLinkPage.verifyOnPage(visitor, 'Tell us about your experience')
      expect(await withErrors.errorSummary.innerText()).toContain('Select how your experience of the service was')

      await withErrors.answer('Good').check()
      await withErrors.comment.fill('The receptionist found me an appointment the same day.')
      await navigate(visitor, () => withErrors.button('Send feedback').click())
      await FeedbackLinkPage.verifyOnPage(visitor, 'Thank you for your feedback')

      await visit(visitor, link!, { status: 410 })
      await FeedbackLinkPage.verifyOnPage(visitor, 'This feedback link has already been used')
    },
  )

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'staff upload a month of paper counts after correcting a malformed file (JavaScript %s)',
    async (label, javaScript) => {
      const { staff, serviceId } = await signInAsStaff(session, `upload.${label}@example.org`, javaScript)
      await visit(staff, `/providers/${serviceId}/feedback-upload`)
      const form = await FeedbackLinkPage.verifyOnPage(staff, 'Upload monthly feedback counts')
      await form.main.getByRole('radio', { name: 'Paper', exact: true }).check()
      await form.field('Upload a file').setInputFiles(MALFORMED_FILE)
      await navigate(staff, () => form.button('Upload counts').click(), { status: 400 })

      const rejected = await FeedbackLinkPage.verifyOnPage(staff, 'Upload monthly feedback counts')
      const summary = await rejected.errorSummary.innerText()
      expect(summary).toContain('Line 3: Total Responses is 16, but the answers add up to 15')
      expect(summary).toContain('Line 11:')
      expect(await rejected.main.getByRole('radio', { name: 'Paper', exact: true }).isChecked()).toBe(true)

      await rejected.field('Upload a file').setInputFiles(COUNTS_FILE)
      await navigate(staff, () => rejected.button('Upload counts').click())
      const done = await FeedbackLinkPage.verifyOnPage(staff, 'Upload monthly feedback counts')
      expect(await done.main.getByText('Counts uploaded').isVisible()).toBe(true)
      expect(await done.main.getByText(/fft-gp-practice\.constructed\.csv: 3 months read/).isVisible()).toBe(true)
    },
  )
})
