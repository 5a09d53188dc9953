import { AsyncLocalStorage } from 'node:async_hooks';
import { CaribouError } from '@caribou/domain-common';
import type { CaribouFunction, CaribouMetadata } from './workflow';

/** What the SDK's public calls need from the invocation currently running. */
export interface InvocationScope {
  readonly runId: string;
  invokeSuccessor(fn: CaribouFunction, payload: unknown, conditional: boolean): void;
  getPredecessorData(): Promise<unknown[]>;
  metadata(): CaribouMetadata;
  placementDecision(): unknown;
  logForRetrieval(message: string, runId?: string, messageTimeMs?: number): void;
}

// One store per process, shared by every copy of the SDK: a deployed bundle carries its
// own copy, and the runtime that drives it may come from another one.
const STORAGE_KEY = Symbol.for('caribou.sdk.invocation-scope');
const globalSlot = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<InvocationScope> };
const storage = (globalSlot[STORAGE_KEY] ??= new AsyncLocalStorage<InvocationScope>());

export function runInInvocation<T>(scope: InvocationScope, body: () => T): T {
  return storage.run(scope, body);
}

export function currentInvocation(call: string): InvocationScope {
  const scope = storage.getStore();
  if (!scope) throw new CaribouError(`${call}() can only be called while a workflow function runs`);
  return scope;
}
