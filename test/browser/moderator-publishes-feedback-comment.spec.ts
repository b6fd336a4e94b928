import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { listProviders } from '../../src/modules/directory/index.ts'
import { addMonths, monthOf } from '../../src/modules/feedback/period.ts'
import { recordResponse } from '../../src/modules/feedback/responses.service.ts'
import { createAccountAndSignIn } from './pages/account.page.ts'
import { ProviderFeedbackPage } from './pages/provider-feedback.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('comments on a provider’s feedback', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'a moderator publishes a comment and the provider’s staff reply to it in public (JavaScript %s)',
    async (label, javaScript) => {
      // Someone gave feedback about The Densham Surgery (ODS A81001, in the demo data) last month, with a comment.
      const comment = `The reception team rang me back the same morning (${label}).`
      const serviceId = (await listProviders(session.db, { name: 'Densham', page: 1, pageSize: 1 })).providers[0]!.id
      await recordResponse(session.db, 'browser-test-secret', {
        serviceId,
        respondent: `person:${randomUUID()}`,
        answer: 'good',
        mode: 'online',
        comment,
        at: new Date(`${addMonths(monthOf(new Date()), -1)}-15T12:00:00Z`),
      })

      const moderator = await session.newPage({ javaScript })
      await createAccountAndSignIn(moderator, `moderator.${label}@example.org`)
      await session.grantRole(`moderator.${label}@example.org`, 'admin')
      await visit(moderator, '/moderation/comments')
      const queue = await ProviderFeedbackPage.verifyOnPage(moderator, 'Comments to moderate')
      expect(await queue.main.getByText(comment).isVisible()).toBe(true)
      await navigate(moderator, () => queue.main.getByRole('button', { name: 'Save decision' }).click(), {
        status: 400,
      })
      const withError = await ProviderFeedbackPage.verifyOnPage(moderator, 'Comments to moderate')
      expect(await withError.errorSummary.innerText()).toContain('Select publish, or why the comment is rejected')
      await withError.main.getByRole('radio', { name: 'Publish', exact: true }).check()
      await navigate(moderator, () => withError.main.getByRole('button', { name: 'Save decision' }).click())
      const done = await ProviderFeedbackPage.verifyOnPage(moderator, 'Comments to moderate')
      expect(await done.main.getByText('Comment published.').isVisible()).toBe(true)

      const staff = await session.newPage({ javaScript })
      await createAccountAndSignIn(staff, `reply.${label}@example.org`)
      await session.grantRole(`reply.${label}@example.org`, 'provider-staff', 'A81001')
      await visit(staff, `/providers/${serviceId}/feedback`)
      const page = await ProviderFeedbackPage.verifyOnPage(staff, /^Feedback about .*densham surgery$/i)
      await page.main
        .getByRole('textbox', { name: 'Reply in public to this comment' })
        .fill(`Thank you: we will pass this on (${label}).`)
      await navigate(staff, () => page.main.getByRole('button', { name: 'Publish reply' }).click())
      await ProviderFeedbackPage.verifyOnPage(staff, /^Feedback about .*densham surgery$/i)

      const visitor = await session.newPage({ javaScript })
      await visit(visitor, `/providers/${serviceId}/feedback`)
      const seen = await ProviderFeedbackPage.verifyOnPage(visitor, /^Feedback about .*densham surgery$/i)
      expect(await seen.main.getByText(comment).isVisible()).toBe(true)
      expect(await seen.main.getByText(`Thank you: we will pass this on (${label}).`).isVisible()).toBe(true)
      expect(await seen.main.getByRole('textbox').count()).toBe(0) // a visitor cannot reply
    },
  )
})
