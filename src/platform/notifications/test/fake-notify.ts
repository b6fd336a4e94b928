import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A made-up Notify API key for tests: `name-<service id>-<secret key>`. */
export function fakeNotifyKey() {
  const serviceId = randomUUID()
  const secretKey = randomUUID()
  return { serviceId, secretKey, apiKey: `openchoice_test-key-${serviceId}-${secretKey}` }
}

export interface FakeNotifyRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
  /** Whether the bearer token is a JWT signed with the secret key, for this service, issued in the last 30 s. */
  tokenValid: boolean
  claims: Record<string, unknown> | undefined
}

type Answer = { status: number; body: unknown }

/**
 * A local stand-in for GOV.UK Notify's email endpoint (node:http on 127.0.0.1, a free port): it checks the path and
 * the bearer JWT the way Notify does, records each request, and answers in Notify's shapes. `answer` picks the reply.
 */
export async function startFakeNotify(key: { serviceId: string; secretKey: string }) {
  const requests: FakeNotifyRequest[] = []
  let answer: (req: FakeNotifyRequest) => Answer = () => ({ status: 201, body: created() })

  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      let body: unknown
      try {
        body = JSON.parse(raw)
      } catch {
        body = raw
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      const { valid, claims } = verifyToken(token, key)
      const recorded: FakeNotifyRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        tokenValid: valid,
        claims,
      }
      requests.push(recorded)
      let reply: Answer
      if (req.method !== 'POST' || req.url !== '/v2/notifications/email')
        reply = notifyError(404, 'BadRequestError', 'Not found')
      else if (!valid) reply = notifyError(403, 'AuthError', 'Invalid token: signature, api token not found')
      else reply = answer(recorded)
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /** Sets how the server answers valid requests from now on. */
    answerWith(fn: (req: FakeNotifyRequest) => Answer) {
      answer = fn
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

/** Notify's 201 body for a sent email. */
export function created(id: string = randomUUID()) {
  return { id, reference: null, content: {}, uri: `https://api.notifications.service.gov.uk/v2/notifications/${id}` }
}

/** Notify's error body: `{ status_code, errors: [{ error, message }] }`. */
export function notifyError(status: number, error: string, message: string): Answer {
  return { status, body: { status_code: status, errors: [{ error, message }] } }
}

function verifyToken(
  token: string | undefined,
  key: { serviceId: string; secretKey: string },
): { valid: boolean; claims: Record<string, unknown> | undefined } {
  const parts = token?.split('.')
  if (!parts || parts.length !== 3) return { valid: false, claims: undefined }
  const [header, payload, signature] = parts as [string, string, string]
  const expected = createHmac('sha256', key.secretKey).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
  const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>
  const valid =
    given.length === expected.length &&
    timingSafeEqual(given, expected) &&
    head.alg === 'HS256' &&
    head.typ === 'JWT' &&
    claims.iss === key.serviceId &&
    typeof claims.iat === 'number' &&
    Math.abs(Date.now() / 1000 - claims.iat) <= 30
  return { valid, claims }
}
