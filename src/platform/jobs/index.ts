// Domain events and scheduled jobs: modules publish events in their own transaction; a worker delivers them to
// other modules' handlers and runs scheduled jobs (ModuleManifest.eventHandlers, ModuleManifest.scheduledJobs).
export {
  publishEvent,
  runJobsOnce,
  startJobWorker,
  collectJobs,
  InvalidEventError,
  JOB_DEFAULTS,
  type RunJobsOptions,
  type JobsSummary,
} from './jobs.service.ts'
export type { DeliveryStatus } from './jobs.tables.ts'
