import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', '**/.caribou-home/**'];

export default defineConfig({
  test: {
    reporters: ['default', './tools/vitest/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs,tools,examples}/**/*.spec.ts'],
          exclude: [...exclude, '**/*.int.spec.ts', '**/*.e2e.spec.ts', '**/*.gcp.spec.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs,tools}/**/*.int.spec.ts'],
          exclude,
          globalSetup: ['./tools/vitest/emulator-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Google's Firestore and Pub/Sub emulators, started once for these files.
          name: 'gcp',
          include: ['{apps,libs,tools}/**/*.gcp.spec.ts'],
          exclude,
          globalSetup: ['./tools/vitest/gcp-emulators-global-setup.ts'],
          // The client libraries would probe for a GCE metadata server that loopback never has.
          env: { METADATA_SERVER_DETECTION: 'none' },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['{apps,libs,tools}/**/*.e2e.spec.ts'],
          exclude,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
