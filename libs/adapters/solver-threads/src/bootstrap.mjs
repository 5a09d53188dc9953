// Worker entry: source-first workspaces ship TypeScript, so register tsx's loader inside the
// worker before importing a .ts entry (a bundled build passes a .js entry and skips this).
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
