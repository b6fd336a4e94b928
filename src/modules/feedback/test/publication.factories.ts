// Test helpers for the publication's tests: real Ofsted nurseries (which carry a local authority) and counts.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import {
  loadConfig,
  paths,
  publishEvent,
  runImport,
  runJobsOnce,
  type AnyDb,
  type Database,
  type RunJobsOptions,
} from '../../../platform/index.ts'
import { feedbackModule } from '../module.ts'
import { modules } from '../../registry.ts'
import { serviceIdOf } from '../../directory/test/factories.ts'
import type { CollectionMode } from '../collection.ts'
import { recordResponse } from '../responses.service.ts'
import { zeroCounts, type AnswerCounts, type FftAnswer } from '../statistics.ts'
import { insertUpload, upsertMonthlyCounts } from '../uploads.queries.ts'

const OFSTED = join(
  paths.data,
  'ofsted_childcare_providers/childcare_providers_2021-08-31_Leeds_Manchester_Camden_Cornwall_Southwark_York_Sheffield.csv',
)
export const SECRET = 'a-test-secret-that-is-long-enough-for-hmac'

/**
 * Lists nurseries in the directory through its own importer, from the real Ofsted rows with these URNs (each with
 * its local authority and provider type), and returns each one's service id by URN.
 */
export async function importNurseries(database: Database, urns: string[]): Promise<Record<string, string>> {
  const source = modules.flatMap((m) => m.importSources ?? []).find((s) => s.name === 'ofsted-childcare')!
  const [header, ...lines] = readFileSync(OFSTED, 'latin1').split(/\r?\n/)
  const rows = lines.filter((line) => urns.some((urn) => line.includes(`,"${urn}",`)))
  const dir = mkdtempSync(join(tmpdir(), 'openchoice-publication-'))
  try {
    const file = join(dir, 'ofsted.csv')
    writeFileSync(file, [header, ...rows].join('\r\n') + '\r\n', 'latin1')
    await runImport(database.db, source, file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return Object.fromEntries(
    await Promise.all(urns.map(async (u) => [u, await serviceIdOf(database, 'ofsted-childcare', u)])),
  )
}

/** Stores a month's counts for a service as an upload would (paper, kiosk and other modes). */
export async function uploadCounts(
  db: AnyDb,
  serviceId: string,
  mode: CollectionMode,
  month: string,
  counts: Partial<AnswerCounts>,
): Promise<void> {
  const uploadId = await insertUpload(db, {
    service_id: serviceId,
    mode,
    uploaded_by: randomUUID(),
    uploaded_at: new Date(),
    file_name: 'constructed.csv',
    file_sha256: randomUUID(),
  })
  await upsertMonthlyCounts(db, serviceId, mode, uploadId, [{ month, counts: { ...zeroCounts(), ...counts } }])
}

/** Records `n` individual online answers, each from a different person, in the middle of `month`. */
export async function answer(db: AnyDb, serviceId: string, a: FftAnswer, n: number, month: string, comment?: string) {
  for (let i = 0; i < n; i++) {
    await recordResponse(db, SECRET, {
      serviceId,
      respondent: `person:${randomUUID()}`,
      answer: a,
      mode: 'online',
      comment,
      at: new Date(`${month}-15T12:00:00Z`),
    })
  }
}

/** Publishes a request's first decision as the choice module does (choice/requests.service.ts publishDecided). */
export async function publishDecided(
  db: AnyDb,
  serviceId: string,
  o: { dueAt: string; answeredAt: string | null; requestId?: string; framework?: string },
) {
  const requestId = o.requestId ?? randomUUID()
  const answeredAt = o.answeredAt === null ? null : new Date(o.answeredAt)
  const dueAt = new Date(o.dueAt)
  const payload = {
    requestId,
    serviceId,
    framework: o.framework ?? 'early-education',
    madeAt: new Date(dueAt.getTime() - 14 * 86_400_000).toISOString(),
    dueAt: dueAt.toISOString(),
    answeredAt: answeredAt?.toISOString() ?? null,
    onTime: answeredAt !== null && answeredAt <= dueAt,
  }
  await publishEvent(db, { type: 'choice.request-decided', payload }, new Date())
  return requestId
}

/** Delivers the published events to the feedback module's handlers, as the jobs worker would. */
export const deliverEvents = (db: AnyDb, options?: RunJobsOptions) =>
  runJobsOnce(
    { db, config: loadConfig({}), now: () => new Date(), log: pino({ level: 'silent' }), modules: [feedbackModule] },
    options,
  )

/** A service's choice requests decided in `month` (deadline on the 20th), `onTime` answered in time and `late` not. */
export async function decideRequests(db: AnyDb, serviceId: string, month: string, onTime: number, late: number) {
  const dueAt = `${month}-20T23:59:59.999Z`
  for (let i = 0; i < onTime + late; i++)
    await publishDecided(db, serviceId, { dueAt, answeredAt: i < onTime ? `${month}-15T10:00:00Z` : null })
  await deliverEvents(db)
}
