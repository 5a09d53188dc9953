import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { InvocationExecutor, InvocationOutcome, InvocationTask, OutgoingMessage } from './types';

interface Job {
  id: number;
  task: InvocationTask;
  onSend: (send: OutgoingMessage) => void;
  resolve: (outcome: InvocationOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

type WorkerMessage =
  | { type: 'send'; id: number; send: OutgoingMessage }
  | { type: 'done'; id: number; outcome: InvocationOutcome }
  | { type: 'error'; id: number; message: string };

/** How long close() lets a worker exit by itself before terminating it. */
const WORKER_EXIT_GRACE_MS = 2_000;

/**
 * Runs invocations on a pool of worker threads (real parallelism on all cores, the
 * function's environment variables applied per invocation). A function that exceeds its
 * configured timeout has its worker terminated and replaced, as Lambda kills a sandbox.
 * Workers load TypeScript through tsx, so no build step is needed.
 */
export class WorkerThreadExecutor implements InvocationExecutor {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly config: { dbPath: string; functionsDir: string; workers?: number; workerEntry?: URL },
  ) {
    const count = config.workers ?? Math.max(1, Math.min(4, cpus().length));
    for (let i = 0; i < count; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // From the sources a bootstrap registers tsx before loading worker-main.ts; a bundle passes its built worker.
    const worker = new Worker(this.config.workerEntry ?? new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { dbPath: this.config.dbPath, functionsDir: this.config.functionsDir },
      // Not the CLI's environment (credentials, API keys): functions see only their own variables.
      env: {},
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => this.finish(slot, undefined, error));
    worker.on('exit', (code) => {
      if (slot.job) this.finish(slot, undefined, new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  execute(task: InvocationTask, onSend: (send: OutgoingMessage) => void): Promise<InvocationOutcome> {
    if (this.closed) return Promise.reject(new Error('executor is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, task, onSend, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      slot.job = job;
      const limitMs = (job.task.fn.timeout_s * 1000) / Math.max(job.task.slowdown, 1e-6);
      slot.timer = setTimeout(() => this.timeOut(slot, job), limitMs);
      slot.worker.postMessage({ type: 'execute', id: job.id, task: job.task });
    }
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    if (message.type === 'send') job.onSend(message.send);
    else if (message.type === 'done') this.finish(slot, message.outcome);
    else this.finish(slot, undefined, new Error(message.message));
  }

  private timeOut(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    const index = this.slots.indexOf(slot);
    void slot.worker.terminate();
    slot.job = undefined;
    this.slots[index] = this.spawn();
    job.resolve({
      status: 'failed',
      error: `Task timed out after ${job.task.fn.timeout_s} seconds`,
      endMs: job.task.startMs + job.task.fn.timeout_s * 1000,
      instanceName: '',
      workflowId: '',
      maxMemoryUsedMb: job.task.fn.memory_mb,
    });
    this.pump();
  }

  private finish(slot: Slot, outcome?: InvocationOutcome, error?: Error): void {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = undefined;
    if (job) {
      if (outcome) job.resolve(outcome);
      else job.reject(error ?? new Error('worker failed'));
    }
    if (error && !this.closed) {
      const index = this.slots.indexOf(slot);
      void slot.worker.terminate();
      this.slots[index] = this.spawn();
    }
    this.pump();
  }

  /**
   * Idle workers close their database and exit by themselves; terminate() is only the fallback
   * for one that does not within a grace period (terminating a thread inside a libsql call
   * aborts the process).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            // threadId is -1 once the thread has exited (a crashed worker): nothing to wait for.
            if (slot.worker.threadId === -1) return resolve();
            const fallback = setTimeout(() => void slot.worker.terminate().then(() => resolve()), WORKER_EXIT_GRACE_MS);
            slot.worker.once('exit', () => {
              clearTimeout(fallback);
              resolve();
            });
            slot.worker.postMessage({ type: 'close' });
          }),
      ),
    );
  }
}
