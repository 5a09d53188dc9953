import { describe, expect, it } from 'vitest';
import { checkGoogleRuntime, DEFAULT_GOOGLE_RUNTIME, projectGoogleRuntime, supportedGoogleRuntimes } from './google-runtimes';

const at = (day: string): number => Date.parse(`${day}T12:00:00Z`);
const FIELD = 'regions_and_providers.providers.gcp.config.runtime';

describe('Cloud Run functions Node.js runtimes (Google support schedule)', () => {
  it('offers nodejs22 and nodejs24 today: nodejs20 is decommissioned since 2026-10-30', () => {
    expect(supportedGoogleRuntimes(at('2026-12-07'))).toEqual(['nodejs22', 'nodejs24']);
    expect(supportedGoogleRuntimes(at('2026-10-29'))).toEqual(['nodejs20', 'nodejs22', 'nodejs24']);
    expect(() => checkGoogleRuntime('nodejs20', at('2026-12-07'), FIELD)).toThrow(`${FIELD}: nodejs20 is decommissioned by Google Cloud since 2026-10-30 (no new functions, no updates); use one of nodejs22, nodejs24`);
  });

  it('refuses Lambda spellings and unknown runtimes naming the field, and warns in the deprecation window', () => {
    expect(() => checkGoogleRuntime('nodejs24.x', at('2026-12-07'), FIELD)).toThrow(`${FIELD}: nodejs24.x is not a Cloud Run functions Node.js runtime Caribou deploys to; use one of nodejs22, nodejs24`);
    expect(checkGoogleRuntime('nodejs22', at('2026-12-07'), FIELD).warning).toBeUndefined();
    expect(checkGoogleRuntime('nodejs22', at('2027-05-01'), FIELD).warning).toBe(`${FIELD}: nodejs22 is deprecated by Google Cloud since 2027-04-30; it is decommissioned on 2027-10-31, move to nodejs24`);
  });

  it('takes the project config runtime, nodejs24 by default', () => {
    expect(projectGoogleRuntime({ regions_and_providers: { providers: {} } }, at('2026-12-07')).runtime.id).toBe(DEFAULT_GOOGLE_RUNTIME);
    expect(projectGoogleRuntime({ regions_and_providers: { providers: { gcp: { config: { runtime: 'nodejs22' } } } } }, at('2026-12-07')).runtime.id).toBe('nodejs22');
  });
});
