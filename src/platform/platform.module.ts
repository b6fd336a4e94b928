import type { ModuleManifest } from './module.ts'
import * as createServiceFeedback from './migrations/2026_11_23_0900_platform_create_service_feedback.ts'

/** The platform's own tables, migrated before every module's. */
export const platformModule: ModuleManifest = {
  name: 'platform',
  dependsOn: [],
  migrations: {
    '2026_11_23_0900_platform_create_service_feedback': createServiceFeedback,
  },
}
