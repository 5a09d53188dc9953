/** Timers that trigger remote framework actions (EventBridge rules on AWS). */
export interface Scheduler {
  putTimer(name: string, scheduleExpression: string, payload: Record<string, unknown>): Promise<void>;
  removeTimer(name: string): Promise<void>;
  /** The schedule expression, or undefined when the timer is not configured. */
  getTimer(name: string): Promise<string | undefined>;
}

/** The deployed remote framework (`caribou_cli` Lambda). */
export interface RemoteFramework {
  isDeployed(): Promise<{ deployed: boolean; missing: string[] }>;
  invoke(payload: Record<string, unknown>, mode: 'event' | 'request'): Promise<unknown>;
}
