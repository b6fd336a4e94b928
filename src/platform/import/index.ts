// Importing published data files: streamed, encoding-aware, validated, all or nothing (issue #4).
export { detectEncoding, readText, type FileEncoding, type DetectedEncoding } from './decode.ts'
export {
  runImport,
  ImportRejectedError,
  type ImportSource,
  type ImportSummary,
  type ImportCounts,
  type ImportRun,
  type ImportOptions,
  type BadRecord,
  type RecordResult,
  type FileLayout,
} from './import.ts'
