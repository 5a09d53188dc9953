import { describe, expect, it } from 'vitest';
import { formatRequestLines, withRequestConsole } from './request-console';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('console lines of a Cloud Run invocation, prefixed as Lambda prefixes them', () => {
  it('writes each console line with its time, request id and level; a multi-line text is one prefixed line per line', async () => {
    const written: string[] = [];
    await withRequestConsole(
      'msg-1',
      async () => {
        console.log('marker %d', 7);
        console.error('two\nlines');
      },
      { write: (chunk) => written.push(chunk), now: () => T0 },
    );
    expect(written.join('')).toBe(
      '2026-12-07T12:00:00.000Z\tmsg-1\tINFO\tmarker 7\n2026-12-07T12:00:00.000Z\tmsg-1\tERROR\ttwo\n2026-12-07T12:00:00.000Z\tmsg-1\tERROR\tlines\n',
    );
    expect(formatRequestLines(T0, 'msg-1', 'WARN', 'w')).toBe('2026-12-07T12:00:00.000Z\tmsg-1\tWARN\tw\n');
  });

  it('keeps concurrent invocations apart (one instance may serve several requests at once)', async () => {
    const written: string[] = [];
    const write = (chunk: string) => written.push(chunk.split('\t').slice(1, 4).join(' ').trim());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = withRequestConsole('a', async () => {
      console.log('a before');
      await gate;
      console.log('a after');
    }, { write, now: () => T0 });
    const second = withRequestConsole('b', async () => {
      console.log('b');
      release();
    }, { write, now: () => T0 });
    await Promise.all([first, second]);
    expect(written).toEqual(['a INFO a before', 'b INFO b', 'a INFO a after']);
  });

  it('leaves console alone outside an invocation: nothing is prefixed or redirected', async () => {
    const written: string[] = [];
    await withRequestConsole('x', async () => undefined, { write: (chunk) => written.push(chunk) });
    console.log('not in a request');
    expect(written).toEqual([]);
  });
});
