import type { ProviderRegion } from '@caribou/domain-common';
import type { Artifact } from './function-platform.port';

/** Timers that trigger remote framework actions (EventBridge rules on AWS). */
export interface Scheduler {
  putTimer(name: string, scheduleExpression: string, payload: Record<string, unknown>): Promise<void>;
  removeTimer(name: string): Promise<void>;
  /** The schedule expression, or undefined when the timer is not configured. */
  getTimer(name: string): Promise<string | undefined>;
}

/** A timer as a scheduler of this machine keeps it (the local provider's `caribou serve`). */
export interface StoredTimer {
  name: string;
  expression: string;
  payload: Record<string, unknown>;
  /**
   * Ticks after this instant (epoch ms) are still to run: when the timer was set up, then the
   * last tick run. A rate counts its periods from the set-up.
   */
  anchorMs: number;
  /** When the timer was set up (epoch ms): where a rate's periods start. */
  setUpMs: number;
}

/** The timers a scheduler running in this process reads and advances (EventBridge keeps its own). */
export interface TimerStore extends Scheduler {
  list(): Promise<StoredTimer[]>;
  /** Records that the timer's ticks up to `anchorMs` are done; never moves the anchor back (a set-up in between wins). */
  recordTick(name: string, anchorMs: number): Promise<void>;
}

/** Only one scheduler loop may run the timers of one framework state. */
export interface SchedulerLock {
  /**
   * Takes the lock, or throws a CaribouError naming who holds it. A holder that is gone (its
   * process died) is taken over, and named in `tookOverFrom`.
   */
  acquire(): Promise<{ tookOverFrom?: string; release(): Promise<void> }>;
}

/** Size of the remote framework's function (`deploy_remote_cli -m -t -s`). */
export interface RemoteFrameworkSettings {
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
}

export interface RemoteFrameworkPackage extends RemoteFrameworkSettings {
  /** The bundled remote handler (zip, `index.mjs` exporting `handler`). */
  artifact: Artifact;
  /**
   * API keys the user has set (name → value), stored where only the framework reads them at
   * run time (on AWS: SecureString parameters), never as variables of the function. A key not
   * given keeps what an earlier deploy stored.
   */
  secrets: Record<string, string>;
  /** The Lambda runtime (`nodejs24.x`), already checked against the runtime table; unset: the default. */
  runtime?: string;
}

/** What a deploy did with one API key: written from the shell, kept from an earlier deploy, or absent. */
export interface RemoteFrameworkSecret {
  name: string;
  /** Where it is stored (on AWS the parameter name, `/<install>/<NAME>`). */
  location: string;
  state: 'stored' | 'kept' | 'absent';
}

export interface RemoteFrameworkDeployment {
  functionArn: string;
  roleArn: string;
  secrets: RemoteFrameworkSecret[];
}

/**
 * One resource of the remote framework as its ledger records it (`parameter`: an API key's
 * SSM parameter; `rule`: a timer's rule, recorded by the timers). Names are the provider's.
 */
export interface RemoteFrameworkResource {
  kind: 'function' | 'role' | 'log-group' | 'repository' | 'parameter' | 'rule';
  region: ProviderRegion;
  name: string;
}

/** The deployed remote framework (`caribou_cli` Lambda), its role, and how to reach it. */
export interface RemoteFramework {
  /** Name of the function the framework runs as. */
  readonly function: string;
  /** Name of the role the function runs with. */
  readonly role: string;
  isDeployed(): Promise<{ deployed: boolean; missing: string[] }>;
  invoke(payload: Record<string, unknown>, mode: 'event' | 'request'): Promise<unknown>;
  /** Where it runs (the system region). */
  readonly region: ProviderRegion;
  /** Creates the framework, or updates it in place; `record` is awaited before each resource is created or adopted. */
  deploy(input: RemoteFrameworkPackage, record?: (resource: RemoteFrameworkResource) => Promise<void>): Promise<RemoteFrameworkDeployment>;
  /** Removes what exists of it by name (installs deployed before its resources were on a ledger); a missing part is skipped. */
  remove(report?: (line: string) => void): Promise<void>;
  /** Removes one ledger resource (not `rule`: the scheduler removes those); a missing one is no error. */
  removeResource(resource: RemoteFrameworkResource): Promise<void>;
}
