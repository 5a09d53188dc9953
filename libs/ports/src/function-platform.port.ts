import type { ProviderRegion } from '@caribou/domain-common';

/** A deployable artifact produced by the PackageBuilder or the ArtifactCopier. */
export type Artifact =
  | { kind: 'zip'; path: string; sha256: string }
  | { kind: 'directory'; path: string; sha256: string }
  | { kind: 'image'; imageUri: string };

export interface FunctionSpec {
  /** Physical name `<wf>-<ver_>-<fn>_<provider>-<region>`. */
  functionName: string;
  region: ProviderRegion;
  artifact: Artifact;
  /** The workflow function (decorator `name`) the runtime dispatches to. */
  handler: string;
  /** Whether this function is the workflow's entry point. */
  entryPoint: boolean;
  environment: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  roleIdentifier: string;
  /** The platform runtime of zip packages (Lambda's `nodejs24.x`); platforms without a choice ignore it. */
  runtime?: string;
  /** What the platform does with a failed asynchronous invocation: retries, queue age, and where the event goes then. */
  asyncInvocation?: AsyncInvocationConfig;
}

export interface AsyncInvocationConfig {
  retryAttempts: number;
  maximumEventAgeSeconds: number;
  /** The region's on-failure destination (FailureDestinations.ensure). */
  onFailureDestination: string;
}

export interface DeployedFunction {
  functionName: string;
  region: ProviderRegion;
  /** ARN on AWS, `local:<region>:<name>` locally. */
  functionIdentifier: string;
}

/** Creates, updates, deletes and asynchronously invokes functions in a region. */
export interface FunctionPlatform {
  /** Creates the function, or updates code and configuration when it exists; waits until it is ready. */
  createOrUpdate(spec: FunctionSpec): Promise<DeployedFunction>;
  exists(region: ProviderRegion, functionName: string): Promise<boolean>;
  /** Removing a missing function is not an error. */
  remove(region: ProviderRegion, functionName: string): Promise<void>;
  /** Names of the functions deployed in a region (for inventories and teardown). */
  list(region: ProviderRegion): Promise<string[]>;
}

/**
 * Releases of a function (Lambda versions behind an alias): the address runs invoke is the
 * alias, so a new release goes live for every run at once and an earlier one can be restored.
 * Platforms without versions (the local provider) do not provide it.
 */
export interface FunctionReleases {
  /**
   * Freezes the function's current code and configuration as a new version; returns the version
   * and the alias address (`identifier`). The alias is created on the first release, otherwise
   * left where it is until `activate`.
   */
  publish(region: ProviderRegion, functionName: string): Promise<{ version: string; identifier: string }>;
  /** Points the alias at `version`: every later invocation runs it. */
  activate(region: ProviderRegion, functionName: string, version: string): Promise<void>;
  /** The version the alias points at, undefined when the function has no alias. */
  active(region: ProviderRegion, functionName: string): Promise<string | undefined>;
}

/** Sends one message to a deployed function, fire-and-forget (Lambda `InvocationType: Event`). */
export interface FunctionInvoker {
  invokeAsync(region: ProviderRegion, identifier: string, message: string): Promise<void>;
}

/** Copies the code of a deployed function so that it can be created in another region. */
export interface ArtifactCopier {
  copyToRegion(source: { region: ProviderRegion; functionName: string }, target: ProviderRegion): Promise<Artifact>;
  /** Where an artifact is kept apart from its functions (an image's ECR repository), so the ledger can list it; undefined for a zip. */
  storeOf?(artifact: Artifact): { region: ProviderRegion; name: string } | undefined;
  /** Deletes such a store with everything in it; a missing one is not an error. */
  removeStore?(region: ProviderRegion, name: string): Promise<void>;
}
