import { defineConfig } from 'vitest/config'

// One project per test layer (CONVENTIONS: tests). `npm test` runs them all; the layer reporter prints how many
// tests each layer ran, per database, so CI can fail a layer that silently ran nothing.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/layer-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/*.routes.test.ts', '**/*.cli.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'db',
          include: ['src/**/*.db.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'routes',
          include: ['src/**/*.routes.test.ts', 'test/**/*.routes.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.cli.test.ts'],
          testTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
