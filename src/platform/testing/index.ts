// Test helpers shared by every module's DB, route and browser tests.
export { createTestDatabase, testDialects, truncateSchemas, type Dialect } from './test-db.ts'
export { createTestApp, type TestApp } from './test-app.ts'
export { TestClient, parseHtml, headingOf, errorSummaryOf } from './html.ts'
