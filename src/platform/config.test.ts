import { generateKeyPairSync } from 'node:crypto'
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

describe('GOV.UK One Login configuration', () => {
  const pem = (type: 'rsa' | 'ec', curve?: string) =>
    generateKeyPairSync(type as 'rsa', { modulusLength: 2048, ...(curve ? { namedCurve: curve } : {}) })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
  const rsaPem = pem('rsa')
  const issuer = 'https://oidc.integration.account.gov.uk/'
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(32),
    DATABASE_URL: 'postgres://x@y/z',
    PUBLIC_URL: 'https://oc.example.gov.uk',
  }

  it('is off when no ONE_LOGIN_* variable is set', () => {
    expect(loadConfig({}).oneLogin).toBeUndefined()
  })

  it('uses private_key_jwt with a PKCS8 key, accepting a key written on one line with \\n escapes', () => {
    const c = loadConfig({
      ...production,
      ONE_LOGIN_ISSUER: issuer,
      ONE_LOGIN_CLIENT_ID: 'openchoice',
      ONE_LOGIN_PRIVATE_KEY: rsaPem.replace(/\n/g, '\\n'),
    })
    expect(c.oneLogin).toEqual({
      issuer,
      clientId: 'openchoice',
      clientAuth: { method: 'private_key_jwt', privateKeyPem: rsaPem },
      allowInsecureRequests: false,
    })
    const ec = loadConfig({
      ONE_LOGIN_ISSUER: issuer,
      ONE_LOGIN_CLIENT_ID: 'c',
      ONE_LOGIN_PRIVATE_KEY: pem('ec', 'P-256'),
    })
    expect(ec.oneLogin?.clientAuth.method).toBe('private_key_jwt')
  })

  it('uses client_secret_basic with a client secret, and allows a plain-http issuer outside production', () => {
    const c = loadConfig({
      NODE_ENV: 'test',
      ONE_LOGIN_ISSUER: 'http://127.0.0.1:4000',
      ONE_LOGIN_CLIENT_ID: 'openchoice',
      ONE_LOGIN_CLIENT_SECRET: 'a-secret',
    })
    expect(c.oneLogin).toEqual({
      issuer: 'http://127.0.0.1:4000',
      clientId: 'openchoice',
      clientAuth: { method: 'client_secret_basic', secret: 'a-secret' },
      allowInsecureRequests: true,
    })
  })

  it.each([
    [{ ONE_LOGIN_ISSUER: issuer }, /go together/],
    [{ ONE_LOGIN_ISSUER: issuer, ONE_LOGIN_CLIENT_ID: 'c' }, /go together/],
    [{ ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_CLIENT_SECRET: 'x' }, /go together/],
    [{ ONE_LOGIN_PRIVATE_KEY: rsaPem }, /go together/],
    [
      {
        ONE_LOGIN_ISSUER: issuer,
        ONE_LOGIN_CLIENT_ID: 'c',
        ONE_LOGIN_CLIENT_SECRET: 'x',
        ONE_LOGIN_PRIVATE_KEY: rsaPem,
      },
      /not both/,
    ],
    [{ ONE_LOGIN_ISSUER: 'not a url', ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_CLIENT_SECRET: 'x' }, /ONE_LOGIN_ISSUER/],
    [{ ONE_LOGIN_ISSUER: 'ftp://idp.example', ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_CLIENT_SECRET: 'x' }, /https/],
    [
      { ...production, ONE_LOGIN_ISSUER: 'http://idp.example', ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_CLIENT_SECRET: 'x' },
      /https/,
    ],
    [{ ONE_LOGIN_ISSUER: issuer, ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_PRIVATE_KEY: 'not a key' }, /PKCS8/],
    [
      {
        ONE_LOGIN_ISSUER: issuer,
        ONE_LOGIN_CLIENT_ID: 'c',
        ONE_LOGIN_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      },
      /not a readable private key/,
    ],
    [
      { ONE_LOGIN_ISSUER: issuer, ONE_LOGIN_CLIENT_ID: 'c', ONE_LOGIN_PRIVATE_KEY: pem('ec', 'P-384') },
      /RSA or EC P-256/,
    ],
  ])('refuses a partial or unsafe One Login setting %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})

describe('rate limit allow list', () => {
  it('is empty unless set, and lists the addresses given', () => {
    expect(loadConfig({}).rateLimitAllowList).toEqual([])
    expect(loadConfig({ RATE_LIMIT_ALLOW_LIST: '127.0.0.1,::1' }).rateLimitAllowList).toEqual(['127.0.0.1', '::1'])
  })

  it('refuses anything but addresses', () => {
    expect(() => loadConfig({ RATE_LIMIT_ALLOW_LIST: 'example.org' })).toThrow(/RATE_LIMIT_ALLOW_LIST/)
    expect(() => loadConfig({ RATE_LIMIT_ALLOW_LIST: '127.0.0.1, 10.0.0.1' })).toThrow(/RATE_LIMIT_ALLOW_LIST/)
  })
})

describe('jobs worker interval', () => {
  it('runs every 30 seconds unless set; 0 turns the worker off in this process', () => {
    expect(loadConfig({}).jobsIntervalSeconds).toBe(30)
    expect(loadConfig({ JOBS_INTERVAL_SECONDS: '5' }).jobsIntervalSeconds).toBe(5)
    expect(loadConfig({ JOBS_INTERVAL_SECONDS: '0' }).jobsIntervalSeconds).toBe(0)
  })

  it.each(['-1', '1.5', 'often'])('refuses %s', (value) => {
    expect(() => loadConfig({ JOBS_INTERVAL_SECONDS: value })).toThrow(/JOBS_INTERVAL_SECONDS/)
  })
})
