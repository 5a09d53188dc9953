import { WORKFLOW_FUNCTION_VARIABLE } from '@caribou/sdk/runtime';

/** Environment variables the platform sets on every workflow function for the bundled runtime. */
export const LambdaEnvironment = {
  /** The workflow function (decorator name) this Lambda function runs. */
  workflowFunction: WORKFLOW_FUNCTION_VARIABLE,
  /** `true` on the entry point, `false` elsewhere. */
  entryPoint: 'CARIBOU_ENTRY_POINT',
  /** Where the framework tables are (the placement decision the entry point reads). */
  systemRegion: 'CARIBOU_SYSTEM_REGION',
  /** The install whose tables, queues and functions the runtime uses. */
  install: 'CARIBOU_INSTALL',
} as const;
