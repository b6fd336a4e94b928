import { createHmac } from 'node:crypto'
import { ConfigError } from '../config.ts'
import { NotificationSendError, type NotificationSender, type OutgoingNotification } from './sender.ts'

export const NOTIFY_DEFAULT_BASE_URL = 'https://api.notifications.service.gov.uk'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const API_KEY = new RegExp(`^.+-(${UUID})-(${UUID})$`, 'i')

/** The two halves of a GOV.UK Notify API key. */
export interface NotifyKey {
  serviceId: string
  secretKey: string
}

/**
 * Splits a Notify API key, `keyname-<service id>-<secret key>`: the last 36 characters are the secret and the 36
 * before the dash in front of it are the service id (as Notify's own clients read it). The key never appears in
 * an error message.
 */
export function parseNotifyApiKey(apiKey: string): NotifyKey {
  const match = API_KEY.exec(apiKey.trim())
  if (!match) throw new ConfigError('NOTIFY_API_KEY does not look like a GOV.UK Notify API key (name-serviceid-secret)')
  return { serviceId: match[1]!, secretKey: match[2]! }
}

/**
 * The bearer token Notify expects: a JWT signed with HS256 using the secret key, whose claims are the service id
 * (`iss`) and the time in whole seconds (`iat`). Notify accepts a token for 30 seconds, so make one per request.
 */
export function createNotifyToken(key: NotifyKey, now: Date = new Date()): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode({ iss: key.serviceId, iat: Math.floor(now.getTime() / 1000) })}`
  return `${unsigned}.${createHmac('sha256', key.secretKey).update(unsigned).digest('base64url')}`
}

export interface NotifySenderOptions {
  apiKey: string
  /** The one generic Notify email template: subject `((subject))`, content `((body))`. */
  templateId: string
  baseUrl?: string
  timeoutMs?: number
}

/**
 * Sends email through GOV.UK Notify's REST API. We render our own text (in the recipient's language) and pass it
 * to one generic template, a common pattern for services that own their wording. A 4xx other than 429 is
 * permanent (Notify will not accept the message however often it is sent); 429, 5xx and network errors are retried.
 */
export class NotifySender implements NotificationSender {
  readonly name = 'notify'
  private readonly key: NotifyKey
  private readonly baseUrl: string

  constructor(private readonly options: NotifySenderOptions) {
    this.key = parseNotifyApiKey(options.apiKey)
    this.baseUrl = (options.baseUrl ?? NOTIFY_DEFAULT_BASE_URL).replace(/\/+$/, '')
  }

  async send(n: OutgoingNotification): Promise<{ providerId: string }> {
    if (n.channel !== 'email') throw new NotificationSendError(`Notify sender cannot send ${n.channel}`, true)
    let res: Response
    try {
      res = await fetch(`${this.baseUrl}/v2/notifications/email`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${createNotifyToken(this.key)}`,
          'content-type': 'application/json',
          'user-agent': 'openchoice-notifications',
        },
        body: JSON.stringify({
          email_address: n.recipient,
          template_id: this.options.templateId,
          personalisation: { subject: n.subject, body: n.body },
          reference: n.reference ?? n.id,
        }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      })
    } catch (err) {
      throw new NotificationSendError(`Notify could not be reached: ${describeNetworkError(err)}`, false)
    }
    const payload = await res.json().catch(() => undefined)
    if (res.status === 201 || res.status === 200) {
      const id = (payload as { id?: unknown } | undefined)?.id
      // Notify has taken the message: sending it again would send it twice, so a missing id is not retried.
      if (typeof id !== 'string') throw new NotificationSendError(`Notify answered ${res.status} without an id`, true)
      return { providerId: id }
    }
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 429
    throw new NotificationSendError(`Notify answered ${res.status}: ${describeNotifyErrors(payload)}`, permanent)
  }
}

/** Notify's error body: `{ status_code, errors: [{ error, message }] }`. Its messages name fields, not values. */
function describeNotifyErrors(payload: unknown): string {
  const errors = (payload as { errors?: unknown } | undefined)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return 'no error details'
  return errors
    .map((e: { error?: unknown; message?: unknown }) => `${String(e?.error ?? 'Error')}: ${String(e?.message ?? '')}`)
    .join('; ')
    .slice(0, 500)
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error'
  const code = (err.cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : err.name
}
