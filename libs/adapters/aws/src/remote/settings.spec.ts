import { describe, expect, it } from 'vitest';
import { REMOTE_FRAMEWORK_DEFAULTS, validateRemoteFrameworkSettings } from './settings';

describe('remote framework settings (spec §1.2 ranges)', () => {
  it.each([
    [{ memoryMb: 127 }, 'Memory must be between 128 and 10240 MB.'],
    [{ memoryMb: 10241 }, 'Memory must be between 128 and 10240 MB.'],
    [{ timeoutSeconds: 0 }, 'Timeout must be between 1 and 900 seconds.'],
    [{ timeoutSeconds: 901 }, 'Timeout must be between 1 and 900 seconds.'],
    [{ ephemeralStorageMb: 511 }, 'Ephemeral Storage must be between 512 and 10240 MB.'],
    [{ ephemeralStorageMb: 10241 }, 'Ephemeral Storage must be between 512 and 10240 MB.'],
  ])('%j → %s', (change, message) => {
    expect(() => validateRemoteFrameworkSettings({ ...REMOTE_FRAMEWORK_DEFAULTS, ...change })).toThrow(message);
  });

  it('accepts the defaults and the bounds', () => {
    expect(REMOTE_FRAMEWORK_DEFAULTS).toEqual({ memoryMb: 1769, timeoutSeconds: 900, ephemeralStorageMb: 5120 });
    expect(() => validateRemoteFrameworkSettings({ memoryMb: 128, timeoutSeconds: 1, ephemeralStorageMb: 512 })).not.toThrow();
    expect(() => validateRemoteFrameworkSettings({ memoryMb: 10240, timeoutSeconds: 900, ephemeralStorageMb: 10240 })).not.toThrow();
  });
});
