/**
 * Signs a bench account in over HTTP, the way a browser does (create, confirm from the development outbox, sign
 * in), and returns the cookie header that carries its session: for scenarios that measure signed-in pages.
 */
export async function signedInCookie(baseUrl: string, email = 'bench@example.org'): Promise<string> {
  const jar = new Map<string, string>()
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const request = async (path: string, form?: Record<string, string>) => {
    const res = await fetch(new URL(path, baseUrl), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookie(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    })
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (value) jar.set(name, value)
      else jar.delete(name)
    }
    return { status: res.status, body: await res.text() }
  }
  const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!
  const password = 'correct horse battery staple'
  const create = await request('/create-account')
  await request('/create-account', { _csrf: csrfFrom(create.body), email, password, confirm: password })
  const outbox = await request('/dev/outbox')
  const token = /\/verify-email\?token=([\w-]{43})/.exec(outbox.body)?.[1]
  if (!token) throw new Error('No confirmation link in the development outbox')
  const confirm = await request(`/verify-email?token=${token}`)
  await request('/verify-email', { _csrf: csrfFrom(confirm.body), token })
  const signIn = await request('/sign-in')
  const done = await request('/sign-in', { _csrf: csrfFrom(signIn.body), email, password })
  if (done.status !== 303) throw new Error(`Bench sign-in answered ${done.status}`)
  return cookie()
}
