// The platform's public surface for modules, the CLI and tests.
export { loadConfig, ConfigError, type Config, type DatabaseTarget } from './config.ts'
export { openDatabase, moduleDb, type AnyDb, type Database } from './db.ts'
export { migrateToLatest, mergeMigrations } from './migrate.ts'
export { buildApp, type AppOptions } from './app.ts'
export { DomainError, NotFoundError, sendProblem } from './errors.ts'
export { fieldErrors, formError, idParam, type FormErrors } from './forms.ts'
export { paths } from './paths.ts'
export { createLogger } from './logger.ts'
export { runSeeds } from './seed.ts'
export { platformModule } from './platform.module.ts'
export { safeReturnPath, AccessDeniedError, type Identity, type ActingFor } from './access.ts'
export {
  ROLES,
  ROLE_SCOPE,
  isRole,
  holdsRole,
  scopesOfRole,
  type Role,
  type RoleGrant,
  type ScopeType,
  type ScopeTypeName,
} from './roles.ts'
export type { AccessPolicy } from './security.ts'
export {
  recordAudit,
  listAuditEntriesAbout,
  verifyAuditChain,
  auditContextFromRequest,
  describeAuditVerification,
  AuditTrailMissingError,
  type AuditEntry,
  type AuditRecord,
  type AuditOutcome,
  type AuditDetailValue,
  type AuditVerification,
} from './audit/audit.ts'
export { hashIp } from './audit/audit-hash.ts'
export type {
  ModuleManifest,
  ModuleContext,
  Seed,
  Catalogue,
  PersonRef,
  JobContext,
  EventHandler,
  ScheduledJob,
  PublishedEvent,
} from './module.ts'
export {
  publishEvent,
  runJobsOnce,
  startJobWorker,
  InvalidEventError,
  type RunJobsOptions,
  type JobsSummary,
} from './jobs/index.ts'
export {
  queueEmail,
  deliverQueuedNotifications,
  startNotificationDispatcher,
  createNotificationSender,
  InvalidNotificationError,
  NotificationSendError,
  NotifySender,
  OutboxOnlySender,
  type EmailToQueue,
  type NotificationSender,
  type OutgoingNotification,
} from './notifications/index.ts'
export { CHOICE_FRAMEWORKS, isChoiceFramework, type ChoiceFramework } from './frameworks.ts'
export {
  runImport,
  detectEncoding,
  ImportRejectedError,
  type ImportSource,
  type ImportSummary,
  type ImportCounts,
  type ImportRun,
  type BadRecord,
  type RecordResult,
} from './import/index.ts'
export { formatDate } from './views.ts'
export { i18nOf, type Translate } from './i18n.ts'
export {
  londonDate,
  isWorkingDay,
  workingDayDeadline,
  workingDaysBetween,
  CalendarRangeError,
} from './calendar/index.ts'
