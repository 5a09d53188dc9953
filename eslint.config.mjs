import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Layering of DESIGN.md §2, enforced on every TypeScript file:
 * domain → domain; ports → domain; application → domain, ports;
 * adapters → ports, domain, adapter support (shared adapter plumbing such as the HTTP client);
 * adapter support → ports, domain; sdk → ports, domain; apps and tools → anything.
 * Domain code must stay pure: no cloud SDKs, DI container, file system or processes.
 */
const impureModules = [
  '@aws-sdk/*',
  'inversify',
  'node:fs',
  'node:fs/*',
  'fs',
  'fs/*',
  'node:child_process',
  'child_process',
  'libsql',
  'esbuild',
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'libs/domain/solver/assembly/**', '**/.nx/**', '**/.caribou-home/**', '**/fixtures/**', 'examples/**/.caribou/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          // The CLI loads heavy libraries on demand (start-up time) and statically elsewhere.
          checkDynamicDependenciesExceptions: [
            '@caribou/application',
            '@caribou/adapter-aws',
            '@caribou/adapter-project',
            '@caribou/adapter-google-geocoding',
            // The CLI's container imports each provider's and source's module on demand (apps/cli/src/composition/container.ts).
            '@caribou/adapter-local',
            '@caribou/adapter-gcp',
            '@caribou/adapter-offline-data',
            '@caribou/adapter-electricity-maps',
            '@caribou/adapter-cloudping',
            '@caribou/adapter-solver-threads',
            '@caribou/adapter-bundler',
            '@caribou/adapter-system',
            // The schedule parser (cron-parser, luxon) loads only when a timer is checked (libs/application/src/timers).
            '@caribou/domain-common',
            // npm run pack loads the CLI's command registry and the remote handler's bundler only when it packs (tools/pack/pack.ts).
            '@caribou/cli',
            '@caribou/remote-handler',
          ],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: impureModules },
            { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: impureModules },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: ['type:domain', 'type:port'],
              // Inversify only in src/module.ts (see the rule below).
              bannedExternalImports: ['@aws-sdk/*', 'libsql', 'esbuild'],
            },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:sdk', 'type:adapter-support'] },
            { sourceTag: 'type:adapter-support', onlyDependOnLibsWithTags: ['type:domain', 'type:port'] },
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:domain', 'type:port'], bannedExternalImports: ['inversify'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Node built-ins are not part of the Nx project graph, so the boundary rule cannot ban
    // them: keep domain code free of I/O with the core rule as well.
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'fs/*', 'child_process', 'worker_threads', 'net', 'http', 'https', 'os', 'path'], message: 'Domain code is pure: do I/O in an adapter behind a port.' },
            { group: ['@aws-sdk/*', 'inversify', 'libsql', 'esbuild', '@caribou/adapter-*', '@caribou/application', '@caribou/sdk'], message: 'Domain code may only import other domain libraries.' },
          ],
        },
      ],
    },
  },
  {
    // Use cases know no container: the application layer binds its services in one file.
    files: ['libs/application/**/*.ts'],
    ignores: ['libs/application/src/module.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'inversify', message: 'Bind services in libs/application/src/module.ts; use cases take their dependencies as constructor arguments.' }] }],
    },
  },
  {
    files: ['**/*.spec.ts', 'tools/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
