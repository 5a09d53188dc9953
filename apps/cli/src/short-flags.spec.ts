import { describe, expect, it } from 'vitest';
import { normalizeArgv } from './main';
import { ArgvError, REFERENCE_SHORT_FLAGS } from './short-flags';

describe('the reference short flags of two and three letters', () => {
  it.each(Object.entries(REFERENCE_SHORT_FLAGS))('%s becomes %s, with a separate or a glued value', (short, long) => {
    expect(normalizeArgv(['setup_all_timers', short, 'cron(0 3 1 * ? *)'])).toEqual(['setup_all_timers', long, 'cron(0 3 1 * ? *)']);
    expect(normalizeArgv(['setup_all_timers', `${short}=rate(1 day)`])).toEqual(['setup_all_timers', `${long}=rate(1 day)`]);
  });

  it('-prc is never read as -p rc, also after a leading -p', () => {
    expect(normalizeArgv(['-p', 'dir', 'setup_all_timers', '-prc', 'x'])).toEqual(['setup_all_timers', '-p', 'dir', '--provider_collector', 'x']);
  });

  it.each([
    ['-pcr', 'Unknown flag -pcr: did you mean -prc? short flags are one letter'],
    ['-pmydir', 'Unknown flag -pmydir: short flags are one letter with the value after a space (-p DIR, not -pDIR)'],
    ['-yp', 'Unknown flag -yp: '],
  ])('refuses %s instead of reading it as a one-letter flag with a glued value', (arg, message) => {
    expect(() => normalizeArgv(['setup_all_timers', arg])).toThrow(ArgvError);
    expect(() => normalizeArgv(['setup_all_timers', arg])).toThrow(message);
  });

  it('leaves one-letter flags, long flags, values and everything after -- alone', () => {
    const argv = ['run', 'wf-0.0.1', '-a', '{"x":-1}', '-p', './dir', '--provider', 'aws', '--', '-prc'];
    expect(normalizeArgv(argv)).toEqual(argv);
  });
});
