import type { ModuleManifest } from './module.ts'
import { erasePlatformData, exportPlatformData } from './personal-data.ts'
import * as createServiceFeedback from './migrations/2026_11_23_0900_platform_create_service_feedback.ts'
import * as createAuditLog from './migrations/2026_11_23_1100_platform_create_audit_log.ts'
import * as createNotifications from './migrations/2026_11_23_1110_platform_create_notifications.ts'
import * as createEvents from './migrations/2026_11_23_1900_platform_create_events.ts'

/** The platform's own tables, migrated before every module's. */
export const platformModule: ModuleManifest = {
  name: 'platform',
  dependsOn: [],
  migrations: {
    '2026_11_23_0900_platform_create_service_feedback': createServiceFeedback,
    '2026_11_23_1100_platform_create_audit_log': createAuditLog,
    '2026_11_23_1110_platform_create_notifications': createNotifications,
    '2026_11_23_1900_platform_create_events': createEvents,
  },
  exportPersonalData: exportPlatformData,
  erasePersonalData: erasePlatformData,
}
