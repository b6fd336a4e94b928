import type { AddressInfo } from 'node:net'
import { modules } from '../../../src/modules/registry.ts'
import { createTestApp } from '../../../src/platform/testing/index.ts'
import { createLogger, runJobsOnce, type AnyDb, type Role } from '../../../src/platform/index.ts'
import { grantRoleByEmail } from '../../../src/modules/accounts/index.ts'

export interface TestServer {
  /** Where the app listens, for example `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string
  /** Grants a role as `openchoice accounts grant-role` does on the server (how the first administrator is made). */
  grantRole(email: string, role: Role, scope?: string): Promise<void>
  /** Runs the background jobs once as if the clock said `when` (a deadline passing, say). */
  runJobsAt(when: Date): Promise<void>
  /** The app's database, for arranging data through modules' service functions (feedback given in past months). */
  db: AnyDb
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
    db: testApp.database.db,
    async grantRole(email, role, scope) {
      const result = await grantRoleByEmail(testApp.database.db, modules, { email, role, scope })
      if (!result.ok) throw new Error(`Could not grant ${role} to ${email}: ${result.reason}`)
    },
    async runJobsAt(when) {
      const ctx = {
        db: testApp.database.db,
        config: testApp.config,
        now: () => when,
        log: createLogger('silent'),
        modules,
      }
      const summary = await runJobsOnce(ctx)
      if (summary.failed > 0) throw new Error(`${summary.failed} background jobs failed`)
    },
    close: () => testApp.close(),
  }
}
