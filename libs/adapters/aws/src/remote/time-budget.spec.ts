import { describe, expect, it } from 'vitest';
import { remoteTimeBudgetSeconds } from './settings';

describe('remoteTimeBudgetSeconds', () => {
  it("is 8/9 of the function's timeout (the reference's 800 s of 900), 800 s when the variable is absent", () => {
    expect(remoteTimeBudgetSeconds({ CARIBOU_REMOTE_TIMEOUT_SECONDS: '900' })).toBeCloseTo(800, 9);
    expect(remoteTimeBudgetSeconds({ CARIBOU_REMOTE_TIMEOUT_SECONDS: '90' })).toBeCloseTo(80, 9);
    expect(remoteTimeBudgetSeconds({})).toBeCloseTo(800, 9);
  });

  it('refuses a value that is no Lambda timeout, naming the variable and the fix', () => {
    expect(() => remoteTimeBudgetSeconds({ CARIBOU_REMOTE_TIMEOUT_SECONDS: '1000' })).toThrow(
      "CARIBOU_REMOTE_TIMEOUT_SECONDS must be the function's timeout, a whole number of seconds 1–900, got '1000': deploy the framework again with caribou deploy_remote_cli -t <seconds>",
    );
  });
});
