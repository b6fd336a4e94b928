import { describe, expect, it } from 'vitest'
import { FrameworkPage } from './pages/framework.page.ts'
import { HomePage } from './pages/home.page.ts'
import { ProviderPage } from './pages/provider.page.ts'
import { ProvidersPage } from './pages/providers.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, pathOf, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

const POSTCODE_AT_END = /, [A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/

describe.skipIf(browserLayerSkipped())('finding a provider', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'resident finds a GP practice from the home page (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })

      await visit(page, '/')
      const home = await HomePage.verifyOnPage(page)

      await navigate(page, () => home.serviceLink('NHS care').click())
      expect(pathOf(page)).toBe('/choose/nhs-care')
      const framework = await FrameworkPage.verifyOnPage(page, 'NHS care')

      await navigate(page, () => framework.seeProviders.click())
      expect(pathOf(page)).toBe('/providers?framework=nhs-care')
      const providers = await ProvidersPage.verifyOnPage(page)
      expect(await providers.typeOfService.inputValue()).toBe('nhs-care')
      expect(await providers.resultLinks.count()).toBeGreaterThan(1)

      // Search for the first practice listed, by its name.
      const name = (await providers.resultLinks.first().innerText()).trim()
      expect(name).not.toBe('')
      await providers.providerName.fill(name)
      await navigate(page, () => providers.searchButton.click())
      const url = new URL(page.url())
      expect(url.pathname).toBe('/providers')
      expect(url.searchParams.get('framework')).toBe('nhs-care')
      expect(url.searchParams.get('name')).toBe(name)

      const results = await ProvidersPage.verifyOnPage(page)
      expect(await results.providerName.inputValue()).toBe(name)
      expect(await results.typeOfService.inputValue()).toBe('nhs-care')
      await results.resultsCount.waitFor()
      const names = (await results.resultLinks.allInnerTexts()).map((n) => n.trim().toLowerCase())
      expect(names.length).toBeGreaterThan(0)
      for (const found of names) expect(found).toContain(name.toLowerCase())

      const link = results.resultLinks.filter({ hasText: name }).first()
      const listed = await page
        .getByRole('listitem')
        .filter({ has: page.getByRole('link', { name, exact: true }) })
        .first()
        .innerText()
      await navigate(page, () => link.click())
      expect(pathOf(page)).toMatch(/^\/providers\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)

      const provider = await ProviderPage.verifyOnPage(page, name)
      const address = (await provider.detail('Address').innerText()).trim()
      expect(address).toMatch(POSTCODE_AT_END)
      // The address on the provider's page is the one the results showed.
      expect(listed).toContain(address)
      expect(await provider.sourceHeading.isVisible()).toBe(true)
    },
  )

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'resident finds GP practices near their postcode, nearest first, and reads one’s registration and history (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })
      await visit(page, '/providers?framework=nhs-care')
      const providers = await ProvidersPage.verifyOnPage(page)
      await providers.postcode.fill('not a postcode')
      await navigate(page, () => providers.searchButton.click(), { status: 400 })
      const wrong = await ProvidersPage.verifyOnPage(page)
      expect(await wrong.errorSummary.innerText()).toContain('Enter a real postcode')

      await wrong.postcode.fill('ts18 1hu')
      await wrong.distance.selectOption('5')
      await navigate(page, () => wrong.searchButton.click())
      const near = await ProvidersPage.verifyOnPage(page)
      const distances = (await page.getByText(/miles from TS18 1HU/).allInnerTexts()).map((d) => parseFloat(d))
      expect(distances.length).toBeGreaterThan(0)
      expect(distances).toEqual([...distances].sort((a, b) => a - b))
      const nearest = (await near.resultLinks.first().innerText()).trim()
      await navigate(page, () => near.resultLinks.first().click())
      const provider = await ProviderPage.verifyOnPage(page, nearest)
      expect(await provider.detail('Registration').innerText()).toContain('Registered with')
      expect(await page.getByRole('heading', { name: 'Changes', level: 2 }).isVisible()).toBe(true)
      expect(await page.getByText('Listed in OpenChoice').isVisible()).toBe(true)
    },
  )

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'parent reads a school’s census figures and follows a link to the school it merged with (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })
      await visit(page, '/providers?framework=education&name=rhyl')
      const results = await ProvidersPage.verifyOnPage(page)
      await navigate(page, () => results.resultLinks.filter({ hasText: 'Rhyl Primary School' }).click())
      const school = await ProviderPage.verifyOnPage(page, 'Rhyl Primary School')
      expect(await school.detail('Pupils').innerText()).toBe('396')
      const linked = page.getByRole('table').getByRole('link', { name: 'Carlton Primary School' })
      await navigate(page, () => linked.click())
      await ProviderPage.verifyOnPage(page, 'Carlton Primary School')
    },
  )
})
