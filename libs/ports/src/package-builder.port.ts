import type { Artifact } from './function-platform.port';

export interface PackageRequest {
  workflowName: string;
  workflowVersion: string;
  projectDir: string;
  /** The app module, relative to projectDir (e.g. `src/app.ts`). */
  appEntry: string;
  /** The runtime adapter entry the bundle starts from (provider specific). */
  provider: string;
  /** `image` asks for a container image (aws only, needs a Docker engine); default a zip or directory. */
  packaging?: 'zip' | 'image';
  /** esbuild target of the platform's runtime (`node24` for Lambda's `nodejs24.x`); default `node20`, the local toolchain. */
  nodeTarget?: string;
}

/** Bundles a workflow project (esbuild) into one artifact shared by all its functions. */
export interface PackageBuilder {
  build(request: PackageRequest): Promise<Artifact>;
}
