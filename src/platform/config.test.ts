import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

describe('configuration', () => {
  it('runs with no environment at all on PGlite in ./.openchoice, port 3000', () => {
    const c = loadConfig({})
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '.openchoice' })
    expect(c.port).toBe(3000)
    expect(c.secureCookies).toBe(false)
  })

  it('uses PostgreSQL when DATABASE_URL is set, and OPENCHOICE_DATA_DIR moves the embedded database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/oc' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/oc',
    })
    expect(loadConfig({ OPENCHOICE_DATA_DIR: '/var/lib/oc' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/oc',
    })
  })

  it.each([
    [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@y/z', PUBLIC_URL: 'https://oc.example.gov.uk' },
      /SESSION_SECRET/,
    ],
    [
      { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://oc.example.gov.uk' },
      /DATABASE_URL/,
    ],
    [{ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), DATABASE_URL: 'postgres://x@y/z' }, /PUBLIC_URL/],
    [{ SESSION_SECRET: 'short' }, /at least 32/],
    [{ PORT: 'eighty' }, /PORT/],
  ])('refuses to start with missing or invalid settings %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('in production over https, marks cookies Secure', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(32),
      DATABASE_URL: 'postgres://x@y/z',
      PUBLIC_URL: 'https://oc.example.gov.uk',
    })
    expect(c.secureCookies).toBe(true)
    expect(c.cookieSecret).toBe('s'.repeat(32))
  })
})
