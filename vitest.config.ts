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
          exclude: [...exclude, '**/*.int.spec.ts', '**/*.e2e.spec.ts'],
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
