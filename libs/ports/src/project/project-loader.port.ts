import type { BuiltWorkflow, IamPolicyDocument, ProjectConfig, WorkflowFunctionSpec } from '@caribou/domain-workflow';

/** A function the app registers, with its statically discovered successors. */
export interface LoadedFunction extends WorkflowFunctionSpec {
  /** Where `serverlessFunction(...)` registers it, e.g. `src/app.ts:12`. */
  location: string;
}

/** A workflow project read from disk and checked: everything validate and deploy need. */
export interface LoadedProject {
  /** Absolute project directory. */
  projectDir: string;
  /** The app module relative to `projectDir` (`src/app.ts`), as `PackageRequest.appEntry` takes it. */
  appEntry: string;
  /** `.caribou/config.yml`, validated (unknown keys kept). */
  config: ProjectConfig;
  /** `.caribou/<iam_policy_file>`: one policy per provider in use. */
  iamPolicy: IamPolicyDocument;
  /** Registered functions in registration order. */
  functions: LoadedFunction[];
  /** Resources in the home region and the instance DAG. */
  workflow: BuiltWorkflow;
}

/** Reads and validates a workflow project (config, IAM policy, app, DAG). */
export interface ProjectLoader {
  /** Fails with a one-line `CaribouError` naming the file or field and the fix. */
  load(projectDir: string): Promise<LoadedProject>;
}
