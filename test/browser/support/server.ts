import type { AddressInfo } from 'node:net'
import { modules } from '../../../src/modules/registry.ts'
import { createTestApp } from '../../../src/platform/testing/index.ts'
import type { Role } from '../../../src/platform/index.ts'
import { grantRoleByEmail } from '../../../src/modules/accounts/index.ts'

export interface TestServer {
  /** Where the app listens, for example `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string
  /** Grants a role as `openchoice accounts grant-role` does on the server (how the first administrator is made). */
  grantRole(email: string, role: Role, scope?: string): Promise<void>
  close(): Promise<void>
}

/**
 * The real application on an in-memory PGlite database, with the demo seeds loaded (`runSeeds` with
 * `onlyIfEmpty`, so pages show real providers), listening on a free port of 127.0.0.1.
 */
export async function startServer(): Promise<TestServer> {
  const testApp = await createTestApp('pglite', modules, { seed: true })
  try {
    await testApp.app.listen({ port: 0, host: '127.0.0.1' })
  } catch (error) {
    await testApp.close()
    throw error
  }
  const { port } = testApp.app.server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async grantRole(email, role, scope) {
      const result = await grantRoleByEmail(testApp.database.db, modules, { email, role, scope })
      if (!result.ok) throw new Error(`Could not grant ${role} to ${email}: ${result.reason}`)
    },
    close: () => testApp.close(),
  }
}
