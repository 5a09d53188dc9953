import { join } from 'node:path';

/** The names the AWS acceptance suites give examples/small_sync_example, for one workflow version. */
export interface SmallSyncExampleOnAws {
  /** examples/small_sync_example in this repository (copy it with awsExampleProject). */
  example: string;
  /** Home region of the deployed copy. */
  home: string;
  /** The other allowed region, where the suites' staged plans move functions. */
  movedTo: string;
  /** Where the framework's system tables live (CARIBOU_SYSTEM_REGION in the suites). */
  system: string;
  /** home, movedTo and system: every region a suite inventories. */
  regions: string[];
  version: string;
  /** `small_sync_example-<version>`: the workflow id. */
  workflowId: string;
  /** `small_sync_example-<version with _ for .>`: the start of every function and instance name. */
  prefix: string;
  /** The example's three instances, as plans and logs name them. */
  instances: { entry: string; sync: string; secondSync: string };
}

/**
 * Test support: small_sync_example deployed as `version`. Each suite keeps its own version, so
 * suites sharing one moto server never see each other's functions, rows or roles; a suite that
 * wants the framework tables to itself names its own `system` region (default us-west-2).
 */
export function smallSyncExampleOnAws(version: string, options: { system?: string } = {}): SmallSyncExampleOnAws {
  const home = 'us-east-1';
  const movedTo = 'ca-central-1';
  const system = options.system ?? 'us-west-2';
  const prefix = `small_sync_example-${version.replace(/\./g, '_')}`;
  return {
    example: join(import.meta.dirname, '../../../../../examples/small_sync_example'),
    home,
    movedTo,
    system,
    regions: [home, movedTo, system],
    version,
    workflowId: `small_sync_example-${version}`,
    prefix,
    instances: {
      entry: `${prefix}-initial_function:entry_point:0`,
      sync: `${prefix}-syncFunction:sync:`,
      secondSync: `${prefix}-secondSyncFunction:sync:`,
    },
  };
}
