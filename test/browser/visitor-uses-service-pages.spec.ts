import { describe, expect, it } from 'vitest'
import { FrameworkPage } from './pages/framework.page.ts'
import { HomePage } from './pages/home.page.ts'
import { FOOTER_PAGES, NotFoundPage, SitePage } from './pages/site.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import {
  JAVASCRIPT_ON_AND_OFF,
  expectWorksWithoutJavaScript,
  isFocused,
  navigate,
  pathOf,
  visit,
} from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('the service pages every page links to', () => {
  const session = useBrowserSession()

  it.each(FOOTER_PAGES.map((p) => [p.link, p] as const))(
    'visitor opens the %s page from the footer',
    async (link, { path, title }) => {
      const page = await session.newPage()
      await visit(page, '/')
      const home = await HomePage.verifyOnPage(page)
      await navigate(page, () => home.footerLink(link).click())
      expect(pathOf(page)).toBe(path)
      await SitePage.verifyOnPage(page, title)
      await expectWorksWithoutJavaScript(session, page)
    },
  )

  it.each([
    ['NHS care', '/choose/nhs-care'],
    ['Social housing', '/choose/social-housing'],
    ['Social care', '/choose/social-care'],
    ['School places', '/choose/education'],
    ['Funded early education and childcare', '/choose/early-education'],
  ])('resident opens the %s start page from the home page', async (name, path) => {
    const page = await session.newPage()
    await visit(page, '/')
    const home = await HomePage.verifyOnPage(page)
    await navigate(page, () => home.serviceLink(name).click())
    expect(pathOf(page)).toBe(path)
    await FrameworkPage.verifyOnPage(page, name)
    await expectWorksWithoutJavaScript(session, page)
  })

  it('visitor who mistypes an address is told the page was not found', async () => {
    const page = await session.newPage()
    await visit(page, '/no-such-page', { status: 404 })
    const notFound = await NotFoundPage.verifyOnPage(page)
    await expectWorksWithoutJavaScript(session, page, { status: 404 })
    await navigate(page, () => notFound.main.getByRole('link', { name: 'go to the OpenChoice home page' }).click())
    await HomePage.verifyOnPage(page)
  })

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'Welsh speaker switches the service to Cymraeg and back (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })
      await visit(page, '/')
      const home = await HomePage.verifyOnPage(page)
      expect(await home.htmlLang()).toBe('en')

      await navigate(page, () => home.languageLink('Cymraeg').click())
      // Welsh is not written yet: the page stays wholly English (lang="en") and says so in both languages.
      expect(await home.htmlLang()).toBe('en')
      await expect
        .poll(() => page.getByText("Nid yw'r dudalen hon ar gael yn Gymraeg eto.", { exact: false }).count())
        .toBe(1)
      expect(await page.locator('p[lang="cy"]').count()).toBe(1)
      expect(await home.languageLink('Cymraeg').count()).toBe(0)

      // The choice is remembered on the next page.
      await visit(page, '/cookies')
      expect(await page.getByText('This page is not available in Welsh yet.', { exact: false }).count()).toBe(1)

      await navigate(page, () => home.languageLink('English').click())
      expect(pathOf(page)).toBe('/cookies?lang=en')
      await SitePage.verifyOnPage(page, 'Cookies')
      expect(await home.htmlLang()).toBe('en')
      expect(await page.getByText('This page is not available in Welsh yet.', { exact: false }).count()).toBe(0)
      expect((await home.skipLink.textContent())?.trim()).toBe('Skip to main content')
    },
  )

  it('keyboard user skips straight to the main content of the home page', async () => {
    const page = await session.newPage()
    await visit(page, '/')
    const home = await HomePage.verifyOnPage(page)

    await page.keyboard.press('Tab')
    expect((await home.skipLink.textContent())?.trim()).toBe('Skip to main content')
    expect(await isFocused(home.skipLink)).toBe(true)
    // Hidden until focused, then shown (WCAG 2.4.7 and 2.4.11).
    expect((await home.skipLink.boundingBox())?.height ?? 0).toBeGreaterThan(10)

    await page.keyboard.press('Enter')
    expect(await isFocused(home.main)).toBe(true)
  })
})
