import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GCP_BUNDLE_FILES, GCP_ENTRY_POINT, GCP_FUNCTION_DEPENDENCIES, gcpEntry } from './entry';

describe('the Cloud Run bundle', () => {
  it('asks Cloud Run to install exactly the Google packages this adapter pins and is tested with', () => {
    const adapter = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries(GCP_FUNCTION_DEPENDENCIES)) expect(adapter.dependencies[name], name).toBe(version);
    const manifest = JSON.parse(GCP_BUNDLE_FILES[0].contents) as Record<string, unknown>;
    expect(manifest).toMatchObject({ type: 'module', main: 'index.mjs', dependencies: GCP_FUNCTION_DEPENDENCIES });
  });

  it('exports the functions-framework target from the app module', () => {
    const source = gcpEntry('/project/src/app.ts');
    expect(source).toContain('import * as app from "/project/src/app.ts";');
    expect(source).toContain(`export const ${GCP_ENTRY_POINT} = createFunctionsFrameworkHandler(app.workflow ?? app.default);`);
  });
});
