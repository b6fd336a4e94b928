import { describe, expect, it } from 'vitest'
import { FeedbackPage, FeedbackSentPage, SATISFACTION_OPTIONS } from './pages/feedback.page.ts'
import { HomePage } from './pages/home.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import {
  JAVASCRIPT_ON_AND_OFF,
  expectWorksWithoutJavaScript,
  focusedText,
  isFocused,
  navigate,
  pathOf,
  visit,
} from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('sending feedback on the service', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'visitor sends feedback after first forgetting to answer (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })
      await visit(page, '/')
      const home = await HomePage.verifyOnPage(page)
      await navigate(page, () => home.footerLink('Feedback').click())
      expect(pathOf(page)).toBe('/feedback')

      const form = await FeedbackPage.verifyOnPage(page)
      expect(await form.satisfaction.isVisible()).toBe(true)
      for (const option of SATISFACTION_OPTIONS) expect(await form.option(option).isChecked()).toBe(false)
      expect(await form.comments.isVisible()).toBe(true)

      // Sent with nothing chosen: the same form again, with the error summary and the error by the question.
      await navigate(page, () => form.send.click(), { status: 400 })
      const withErrors = await FeedbackPage.verifyOnPage(page)
      expect(await page.title()).toMatch(/^Error: /)
      const summary = withErrors.errorSummary
      expect(await summary.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true)
      const errorLink = summary.getByRole('link', { name: 'Select how you felt about the service' })
      expect(await errorLink.isVisible()).toBe(true)
      expect(await withErrors.satisfaction.innerText()).toContain('Select how you felt about the service')

      if (javaScript) {
        // The design system's script moves focus to the summary, and its links move focus to the question.
        expect(await focusedText(page)).toContain('There is a problem')
        await errorLink.click()
        expect(await isFocused(withErrors.option('Very satisfied'))).toBe(true)
      }

      await withErrors.option('Satisfied').check()
      await withErrors.comments.fill('The list of GP practices was easy to search.')
      await navigate(page, () => withErrors.send.click())
      expect(pathOf(page)).toBe('/feedback/sent')
      await FeedbackSentPage.verifyOnPage(page)
    },
  )

  it('visitor with JavaScript turned off can open and send the feedback form', async () => {
    const page = await session.newPage()
    await visit(page, '/feedback')
    await FeedbackPage.verifyOnPage(page)
    await expectWorksWithoutJavaScript(session, page, {
      submit: async (noJs) => {
        const form = await FeedbackPage.verifyOnPage(noJs)
        await form.option('Very satisfied').check()
        await navigate(noJs, () => form.send.click())
        await FeedbackSentPage.verifyOnPage(noJs)
      },
    })
  })
})
