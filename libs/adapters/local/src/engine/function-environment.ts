import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationTask } from './types';

/**
 * What a local function sees in `process.env`: the `environment_variables` it was deployed
 * with, and the variables the runtime itself sets (as Lambda sets its reserved ones) —
 * never the environment of whoever runs the CLI (credentials, API keys).
 */
export function functionEnvironment(task: Pick<InvocationTask, 'fn' | 'region'>): Record<string, string> {
  const declared = JSON.parse(task.fn.environment) as Record<string, string>;
  return {
    ...declared,
    ...runtimeVariables(task),
  };
}

/** The variables the local runtime sets for every function (they win over declared ones, as Lambda's reserved keys do). */
export function runtimeVariables(task: Pick<InvocationTask, 'fn' | 'region'>): Record<string, string> {
  return {
    AWS_REGION: task.region.region,
    AWS_DEFAULT_REGION: task.region.region,
    AWS_LAMBDA_FUNCTION_NAME: task.fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(task.fn.memory_mb),
    CARIBOU_REGION: `${task.region.provider}:${task.region.region}`,
  };
}

/** The names `runtimeVariables` sets: what a function sees besides its declared variables. */
export const RUNTIME_VARIABLE_NAMES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'CARIBOU_REGION'] as const;

const scopedEnvironment = new AsyncLocalStorage<Record<string, string>>();
let installed = false;

/**
 * Runs `body` with `process.env` showing `environment` to it and to everything it starts
 * (timers, promises): for invocations that share a thread with the CLI and with each other.
 * Code outside any invocation keeps seeing the process's own environment.
 */
export function withScopedEnvironment<T>(environment: Record<string, string>, body: () => Promise<T>): Promise<T> {
  if (!installed) {
    const real = process.env;
    process.env = new Proxy(real, {
      get: (target, key) => {
        const scoped = scopedEnvironment.getStore();
        return scoped ? (typeof key === 'string' ? scoped[key] : undefined) : Reflect.get(target, key);
      },
      set: (target, key, value) => {
        const scoped = scopedEnvironment.getStore();
        if (scoped && typeof key === 'string') scoped[key] = String(value);
        else Reflect.set(target, key, value);
        return true;
      },
      deleteProperty: (target, key) => {
        const scoped = scopedEnvironment.getStore();
        if (scoped && typeof key === 'string') delete scoped[key];
        else Reflect.deleteProperty(target, key);
        return true;
      },
      has: (target, key) => {
        const scoped = scopedEnvironment.getStore();
        return scoped ? typeof key === 'string' && key in scoped : Reflect.has(target, key);
      },
      ownKeys: (target) => {
        const scoped = scopedEnvironment.getStore();
        return scoped ? Reflect.ownKeys(scoped) : Reflect.ownKeys(target);
      },
      getOwnPropertyDescriptor: (target, key) => {
        const scoped = scopedEnvironment.getStore();
        if (!scoped) return Reflect.getOwnPropertyDescriptor(target, key);
        return typeof key === 'string' && key in scoped
          ? { value: scoped[key], writable: true, enumerable: true, configurable: true }
          : undefined;
      },
    });
    installed = true;
  }
  return scopedEnvironment.run({ ...environment }, body);
}
