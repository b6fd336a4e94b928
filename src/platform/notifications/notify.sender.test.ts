import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config.ts'
import { createNotifyToken, NotifySender, parseNotifyApiKey } from './notify.sender.ts'
import { OutboxOnlySender } from './outbox.sender.ts'
import { NotificationSendError, type OutgoingNotification } from './sender.ts'
import { createNotificationSender } from './sender.factory.ts'
import { retryDelaySeconds } from '../work-queue.ts'
import { created, fakeNotifyKey, notifyError, startFakeNotify } from './test/fake-notify.ts'

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
const SECRET_KEY = '3d844edf-8d35-48ac-975b-e847b4f122b0'

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
}

describe('GOV.UK Notify API keys', () => {
  it.each([
    ['a plain key name', `openchoice_live-${SERVICE_ID}-${SECRET_KEY}`],
    ['a key name with dashes in it', `my-council-live-key-${SERVICE_ID}-${SECRET_KEY}`],
    ['surrounding white space', `  openchoice-${SERVICE_ID}-${SECRET_KEY}\n`],
  ])('reads the service id and the secret from %s', (_name, apiKey) => {
    expect(parseNotifyApiKey(apiKey)).toEqual({ serviceId: SERVICE_ID, secretKey: SECRET_KEY })
  })

  it.each([
    ['no key name', `${SERVICE_ID}-${SECRET_KEY}`],
    ['a secret that is too short', `name-${SERVICE_ID}-${SECRET_KEY.slice(1)}`],
    ['only a secret', `name-${SECRET_KEY}`],
    ['a v1 style key', 'not-a-key'],
  ])('refuses a key with %s, without repeating the key', (_name, apiKey) => {
    expect(() => parseNotifyApiKey(apiKey)).toThrow(ConfigError)
    try {
      parseNotifyApiKey(apiKey)
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET_KEY.slice(-12))
    }
  })
})

describe('the Notify bearer token', () => {
  const now = new Date('2026-11-23T10:00:00.900Z')
  const token = createNotifyToken({ serviceId: SERVICE_ID, secretKey: SECRET_KEY }, now)
  const [header, claims, signature] = token.split('.') as [string, string, string]

  it('is a JWT with an HS256 header, the service id as issuer and the time in whole seconds', () => {
    expect(token.split('.')).toHaveLength(3)
    expect(decode(header)).toEqual({ typ: 'JWT', alg: 'HS256' })
    expect(decode(claims)).toEqual({ iss: SERVICE_ID, iat: 1795428000 })
  })

  it('is signed with the secret key (HMAC-SHA256 over header.claims, base64url without padding)', () => {
    const expected = createHmac('sha256', SECRET_KEY).update(`${header}.${claims}`).digest()
    const given = Buffer.from(signature, 'base64url')
    expect(signature).toMatch(/^[\w-]+$/)
    expect(timingSafeEqual(given, expected)).toBe(true)
    const forged = createHmac('sha256', randomUUID()).update(`${header}.${claims}`).digest()
    expect(timingSafeEqual(given, forged)).toBe(false)
  })
})

describe('NotifySender against a local Notify', () => {
  const key = fakeNotifyKey()
  const templateId = randomUUID()
  let notify: Awaited<ReturnType<typeof startFakeNotify>>
  let sender: NotifySender
  beforeAll(async () => {
    notify = await startFakeNotify(key)
    sender = new NotifySender({ apiKey: key.apiKey, templateId, baseUrl: `${notify.baseUrl}/` })
  })
  afterAll(async () => notify?.close())

  const message = (over: Partial<OutgoingNotification> = {}): OutgoingNotification => ({
    id: randomUUID(),
    channel: 'email',
    recipient: 'sam.jones@example.org',
    template: 'accounts.verify-email',
    subject: 'Confirm your email address',
    body: 'Hello Sam,\n\nConfirm your address: https://openchoice.example/verify/abc',
    reference: null,
    ...over,
  })

  it('posts the rendered email to the generic template with a valid token, and returns Notify’s id', async () => {
    const id = randomUUID()
    notify.answerWith(() => ({ status: 201, body: created(id) }))
    const n = message({ reference: 'account-42' })
    await expect(sender.send(n)).resolves.toEqual({ providerId: id })
    const req = notify.requests.at(-1)!
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/v2/notifications/email')
    expect(req.headers['content-type']).toBe('application/json')
    expect(req.tokenValid).toBe(true)
    expect(req.claims).toMatchObject({ iss: key.serviceId })
    expect(req.body).toEqual({
      email_address: 'sam.jones@example.org',
      template_id: templateId,
      personalisation: { subject: 'Confirm your email address', body: n.body },
      reference: 'account-42',
    })
  })

  it('uses our message id as the reference when the caller gave none', async () => {
    notify.answerWith(() => ({ status: 201, body: created() }))
    const n = message()
    await sender.send(n)
    expect((notify.requests.at(-1)!.body as { reference: string }).reference).toBe(n.id)
  })

  it.each([
    [400, 'BadRequestError', "Can't send to this recipient using a team-only API key", true],
    [403, 'AuthError', 'Invalid token: API key not found', true],
    [429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds', false],
    [500, 'Exception', 'Internal server error', false],
    [503, 'Exception', 'Service unavailable', false],
  ])('Notify answers %i: a send error, permanent=%s', async (status, error, text, permanent) => {
    notify.answerWith(() => notifyError(status, error, text))
    const failure = await sender.send(message()).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(NotificationSendError)
    expect((failure as NotificationSendError).permanent).toBe(permanent)
    expect((failure as Error).message).toBe(`Notify answered ${status}: ${error}: ${text}`)
    expect((failure as Error).message).not.toContain('sam.jones')
  })

  it('a token signed with the wrong secret is refused by Notify, permanently', async () => {
    notify.answerWith(() => ({ status: 201, body: created() }))
    const wrong = new NotifySender({
      apiKey: `x-${key.serviceId}-${randomUUID()}`,
      templateId,
      baseUrl: notify.baseUrl,
    })
    const failure = (await wrong.send(message()).catch((err: unknown) => err)) as NotificationSendError
    expect(notify.requests.at(-1)!.tokenValid).toBe(false)
    expect(failure.message).toMatch(/^Notify answered 403: AuthError/)
    expect(failure.permanent).toBe(true)
  })

  it('Notify cannot be reached: a retryable send error', async () => {
    const gone = await startFakeNotify(key)
    await gone.close()
    const offline = new NotifySender({ apiKey: key.apiKey, templateId, baseUrl: gone.baseUrl })
    const failure = (await offline.send(message()).catch((err: unknown) => err)) as NotificationSendError
    expect(failure).toBeInstanceOf(NotificationSendError)
    expect(failure.permanent).toBe(false)
    expect(failure.message).toBe('Notify could not be reached: ECONNREFUSED')
  })

  it('Notify answers too slowly: a retryable send error', async () => {
    const silent = createServer(() => {}) // takes the request and never answers
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
    const { port } = silent.address() as AddressInfo
    try {
      const slow = new NotifySender({
        apiKey: key.apiKey,
        templateId,
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 100,
      })
      const failure = (await slow.send(message()).catch((err: unknown) => err)) as NotificationSendError
      expect(failure).toBeInstanceOf(NotificationSendError)
      expect(failure.permanent).toBe(false)
      expect(failure.message).toBe('Notify could not be reached: TimeoutError')
    } finally {
      silent.closeAllConnections()
      await new Promise((done) => silent.close(done))
    }
  })
})

describe('choosing the sender', () => {
  const key = fakeNotifyKey()
  const templateId = randomUUID()
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 's'.repeat(32),
    DATABASE_URL: 'postgres://x@y/z',
    PUBLIC_URL: 'https://oc.example.gov.uk',
  }

  it('uses GOV.UK Notify when NOTIFY_API_KEY is set', () => {
    const config = loadConfig({ NOTIFY_API_KEY: key.apiKey, NOTIFY_TEMPLATE_ID: templateId })
    expect(config.notify).toEqual({ apiKey: key.apiKey, templateId, baseUrl: undefined })
    expect(createNotificationSender(config)).toBeInstanceOf(NotifySender)
    expect(
      createNotificationSender(
        loadConfig({ ...production, NOTIFY_API_KEY: key.apiKey, NOTIFY_TEMPLATE_ID: templateId }),
      ).name,
    ).toBe('notify')
  })

  it('keeps messages in the outbox in development and tests', async () => {
    const sender = createNotificationSender(loadConfig({}))
    expect(sender).toBeInstanceOf(OutboxOnlySender)
    await expect(sender.send({ id: 'abc' } as OutgoingNotification)).resolves.toEqual({ providerId: 'outbox-abc' })
    expect(createNotificationSender(loadConfig({ NODE_ENV: 'test' })).name).toBe('outbox')
  })

  it('refuses to start in production without GOV.UK Notify: a live service must send its emails', () => {
    expect(() => createNotificationSender(loadConfig(production))).toThrow(ConfigError)
    expect(() => createNotificationSender(loadConfig(production))).toThrow(/NOTIFY_API_KEY/)
  })

  it.each([
    [{ NOTIFY_API_KEY: 'key-without-parts' }, /NOTIFY_API_KEY must look like/],
    [{ NOTIFY_API_KEY: 'REPLACE' }, /NOTIFY_API_KEY/],
    [{ NOTIFY_TEMPLATE_ID: 'not-a-template' }, /NOTIFY_TEMPLATE_ID/],
    [{ NOTIFY_BASE_URL: 'localhost' }, /NOTIFY_BASE_URL/],
  ])('refuses a malformed Notify setting %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('needs the template id with the key, and never repeats the key in the error', () => {
    expect(() => loadConfig({ NOTIFY_API_KEY: key.apiKey })).toThrow('NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID too')
    try {
      loadConfig({ NOTIFY_API_KEY: `${key.apiKey}!` })
    } catch (err) {
      expect((err as Error).message).not.toContain(key.secretKey)
    }
  })

  it('takes NOTIFY_BASE_URL so tests and stubs can stand in for Notify', () => {
    const config = loadConfig({
      NOTIFY_API_KEY: key.apiKey,
      NOTIFY_TEMPLATE_ID: templateId,
      NOTIFY_BASE_URL: 'http://127.0.0.1:9999',
    })
    expect(config.notify?.baseUrl).toBe('http://127.0.0.1:9999')
  })
})

describe('retry backoff', () => {
  it('doubles after each failed attempt, from the first delay, and is capped at six hours', () => {
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 60))).toEqual([60, 120, 240, 480])
    expect(retryDelaySeconds(30, 60)).toBe(6 * 3600)
  })
})
