import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { parse, type HTMLElement } from 'node-html-parser'

export function parseHtml(html: string): HTMLElement {
  return parse(html)
}

/** The text of the page's h1, trimmed. */
export function headingOf(html: string): string {
  return parseHtml(html).querySelector('h1')?.text.trim() ?? ''
}

/** The messages in the GOV.UK error summary, if there is one. */
export function errorSummaryOf(html: string): string[] {
  return parseHtml(html)
    .querySelectorAll('[role=alert] li, .govuk-error-summary__list li')
    .map((li) => li.text.trim())
    .filter((v, i, all) => all.indexOf(v) === i)
}

/**
 * A browser-like client for `app.inject()`: keeps cookies, and submits forms the way a person does, by
 * loading the page first and sending its hidden fields (including the CSRF token) with the answers.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>()
  /** Each client comes from its own address, as different people do (per-address rate limits apply to it). */
  remoteAddress = `127.${rand()}.${rand()}.${rand()}`

  constructor(private readonly app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      if (c.maxAge === 0 || c.value === '') this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
  }

  private get cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.cookieHeader, ...headers },
    })
    this.remember(res)
    return res
  }

  async post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one)
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    this.remember(res)
    return res
  }

  /** Posts a multipart form (a file upload), as a browser sends one: text fields, then the file. */
  async postMultipart(
    url: string,
    fields: Record<string, string>,
    file: { field: string; filename: string; content: Buffer | string },
  ): Promise<LightMyRequestResponse> {
    const boundary = `----openchoice${rand()}${rand()}`
    const part = (headers: string, body: Buffer | string) =>
      Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')])
    const payload = Buffer.concat([
      ...Object.entries(fields).map(([k, v]) => part(`Content-Disposition: form-data; name="${k}"`, v)),
      part(
        `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: text/csv`,
        file.content,
      ),
      Buffer.from(`--${boundary}--\r\n`),
    ])
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    })
    this.remember(res)
    return res
  }

  /** Loads `pageUrl`, finds the form (by action, or the first POST form), fills it in and submits it. */
  async submitForm(
    pageUrl: string,
    answers: Record<string, string | string[]>,
    action?: string,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl)
    const doc = parseHtml(page.body)
    const form = doc
      .querySelectorAll('form')
      .find(
        (f) =>
          (f.getAttribute('method') ?? 'get').toLowerCase() === 'post' &&
          (!action || f.getAttribute('action') === action),
      )
    if (!form)
      throw new Error(`No POST form${action ? ` for ${action}` : ''} on ${pageUrl} (status ${page.statusCode})`)
    const hidden: Record<string, string> = {}
    for (const input of form.querySelectorAll('input[type=hidden]')) {
      const name = input.getAttribute('name')
      if (name) hidden[name] = input.getAttribute('value') ?? ''
    }
    return this.post(form.getAttribute('action') ?? pageUrl, { ...hidden, ...answers })
  }
}

function rand(): number {
  return Math.floor(Math.random() * 254) + 1
}
