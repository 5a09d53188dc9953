import { describe, expect, it } from 'vitest';
import { checkLambdaRuntime, esbuildTargetOf, projectLambdaRuntime, supportedLambdaRuntimes } from './lambda-runtimes';

const day = (text: string) => Date.parse(`${text}T00:00:00Z`);
const FIELD = 'regions_and_providers.providers.aws.config.runtime';

describe('the Lambda Node.js runtime table', () => {
  it('supports what Lambda still creates functions with on a given day', () => {
    expect(supportedLambdaRuntimes(day('2026-08-30'))).toEqual(['nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
    expect(supportedLambdaRuntimes(day('2026-08-31'))).toEqual(['nodejs22.x', 'nodejs24.x']);
    expect(supportedLambdaRuntimes(day('2027-06-01'))).toEqual(['nodejs24.x']);
  });

  it('refuses nodejs20.x from the day creating functions with it is blocked, in one line naming the field and the supported values', () => {
    expect(() => checkLambdaRuntime('nodejs20.x', day('2026-08-31'), FIELD)).toThrow(
      `${FIELD}: nodejs20.x is blocked by AWS Lambda (no new functions since 2026-08-31, no updates since 2026-09-30); use one of nodejs22.x, nodejs24.x`,
    );
    expect(checkLambdaRuntime('nodejs20.x', day('2026-08-30'), FIELD).warning).toBe(
      `${FIELD}: nodejs20.x is deprecated by AWS Lambda since 2026-04-30; creating functions with it is blocked from 2026-08-31, move to nodejs24.x`,
    );
  });

  it('refuses what is not a Node.js runtime of the table (older ones, other languages, not text)', () => {
    for (const runtime of ['nodejs18.x', 'python3.12', 'nodejs24', 42]) {
      let message = '';
      try {
        checkLambdaRuntime(runtime, day('2026-12-03'), '--runtime');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe(`--runtime: ${typeof runtime === 'string' ? runtime : '42'} is not a Lambda Node.js runtime Caribou deploys to; use one of nodejs22.x, nodejs24.x`);
    }
  });

  it('accepts a supported runtime without a warning until it is deprecated', () => {
    expect(checkLambdaRuntime('nodejs22.x', day('2026-12-03'), FIELD)).toEqual({ runtime: expect.objectContaining({ id: 'nodejs22.x', nodeMajor: 22 }) });
    expect(checkLambdaRuntime('nodejs22.x', day('2027-04-30'), FIELD).warning).toContain('nodejs22.x is deprecated by AWS Lambda since 2027-04-30');
  });

  it('gives esbuild the Node.js of the runtime', () => {
    expect(esbuildTargetOf('nodejs22.x')).toBe('node22');
    expect(esbuildTargetOf('nodejs24.x')).toBe('node24');
    expect(() => esbuildTargetOf('nodejs18.x')).toThrow('nodejs18.x is not a Lambda Node.js runtime');
  });

  it('reads a project config: providers.aws.config.runtime, else the default, nothing when aws is not used', () => {
    const config = (providers: Record<string, { config: Record<string, unknown> }>, home = 'aws') => ({
      home_region: { provider: home },
      regions_and_providers: { providers },
    });
    const now = day('2026-12-03');
    expect(projectLambdaRuntime(config({ aws: { config: { runtime: 'nodejs22.x' } } }), now)?.runtime.id).toBe('nodejs22.x');
    expect(projectLambdaRuntime(config({ aws: { config: {} } }), now)?.runtime.id).toBe('nodejs24.x');
    expect(projectLambdaRuntime(config({}), now)?.runtime.id).toBe('nodejs24.x');
    expect(projectLambdaRuntime(config({ local: { config: {} } }, 'local'), now)).toBeUndefined();
    expect(() => projectLambdaRuntime(config({ local: { config: {} }, aws: { config: { runtime: 'nodejs20.x' } } }, 'local'), now)).toThrow(
      `${FIELD}: nodejs20.x is blocked`,
    );
  });
});
