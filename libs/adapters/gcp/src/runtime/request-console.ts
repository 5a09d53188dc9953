import { AsyncLocalStorage } from 'node:async_hooks';
import { formatWithOptions } from 'node:util';

/**
 * Cloud Run stores each line a function prints as it is, so a user's console.log line names
 * no request, and `caribou logs` could not tell which execution (run, instance) printed it.
 * Lambda prefixes every console line with `<ISO time>\t<request id>\t<LEVEL>\t`; inside an
 * invocation the functions-framework entry now does the same (per request, by async context,
 * since one instance may serve several requests at once). Outside one, console is untouched.
 */
interface RequestConsole {
  requestId: string;
  write: (chunk: string) => void;
  now: () => number;
}

const currentRequest = new AsyncLocalStorage<RequestConsole>();
const LEVELS = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR' } as const;
let installed = false;

/** One console line as Lambda writes it; a text of several lines gives one prefixed line each (Cloud Run splits them). */
export function formatRequestLines(timeMs: number, requestId: string, level: string, text: string): string {
  const time = new Date(timeMs).toISOString();
  return text
    .split('\n')
    .map((line) => `${time}\t${requestId}\t${level}\t${line}\n`)
    .join('');
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const [name, level] of Object.entries(LEVELS)) {
    const method = name as keyof typeof LEVELS;
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const request = currentRequest.getStore();
      if (request === undefined) return original(...args);
      request.write(formatRequestLines(request.now(), request.requestId, level, formatWithOptions({ colors: false }, ...args)));
    };
  }
}

/** Runs `invocation` with console lines prefixed by `requestId` (written to stdout by default). */
export function withRequestConsole<T>(
  requestId: string,
  invocation: () => Promise<T>,
  options: { write?: (chunk: string) => void; now?: () => number } = {},
): Promise<T> {
  install();
  const write = options.write ?? ((chunk: string) => void process.stdout.write(chunk));
  return currentRequest.run({ requestId, write, now: options.now ?? Date.now }, invocation);
}
