import { ImportRejectedError, NotFoundError, runImport, type AnyDb, type BadRecord } from '../../platform/index.ts'
import { findProviderById } from '../directory/index.ts'
import type { CollectionMode } from './collection.ts'
import { monthlyCountsSource } from './monthly-counts.import.ts'

/** A file of monthly counts that a member of a provider's staff uploads. */
export interface MonthlyCountsUpload {
  serviceId: string
  mode: CollectionMode
  /** The person uploading (accounts' person id); whether they may is the caller's check. */
  uploadedBy: string
  /** Where the file is on disk, and the name it had on the uploader's computer. */
  path: string
  fileName?: string | undefined
}

export type UploadResult =
  | { ok: true; records: number; inserted: number; updated: number; unchanged: number }
  | { ok: false; errors: BadRecord[] }

/**
 * Validates and stores a provider's monthly counts, all or nothing: a file with any bad row stores nothing and
 * comes back with every bad row's line number and reason. The file must name the provider by one of its codes.
 */
export async function uploadMonthlyCounts(
  db: AnyDb,
  upload: MonthlyCountsUpload,
  now = new Date(),
): Promise<UploadResult> {
  const provider = await findProviderById(db, upload.serviceId)
  if (!provider) throw new NotFoundError('provider')
  const orgCodes = [provider.source.ref, provider.registration?.ref].flatMap((c) => (c ? [c.trim().toUpperCase()] : []))
  const source = monthlyCountsSource({ ...upload, orgCodes: [...new Set(orgCodes)], now })
  try {
    const summary = await runImport(db, source, upload.path, { now })
    const { records, inserted, updated, unchanged } = summary
    return { ok: true, records, inserted, updated, unchanged }
  } catch (err) {
    if (err instanceof ImportRejectedError) return { ok: false, errors: err.bad }
    throw err
  }
}
