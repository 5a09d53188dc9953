import type { Artifact } from './function-platform.port';

/** Timers that trigger remote framework actions (EventBridge rules on AWS). */
export interface Scheduler {
  putTimer(name: string, scheduleExpression: string, payload: Record<string, unknown>): Promise<void>;
  removeTimer(name: string): Promise<void>;
  /** The schedule expression, or undefined when the timer is not configured. */
  getTimer(name: string): Promise<string | undefined>;
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
  /** Variables of the function (API keys when the user has them set). */
  environment: Record<string, string>;
  /** The Lambda runtime (`nodejs24.x`), already checked against the runtime table; unset: the default. */
  runtime?: string;
}

/** The deployed remote framework (`caribou_cli` Lambda), its role, and how to reach it. */
export interface RemoteFramework {
  /** Name of the function the framework runs as. */
  readonly function: string;
  /** Name of the role the function runs with. */
  readonly role: string;
  isDeployed(): Promise<{ deployed: boolean; missing: string[] }>;
  invoke(payload: Record<string, unknown>, mode: 'event' | 'request'): Promise<unknown>;
  /** Creates the framework, or updates it in place. */
  deploy(input: RemoteFrameworkPackage): Promise<{ functionArn: string; roleArn: string }>;
  /** Removes what exists of it; a missing part is skipped. */
  remove(report?: (line: string) => void): Promise<void>;
}
