import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaribouError } from '@caribou/domain-common';
import { buildWorkflow, checkDataLocation, type FunctionRegionsAndProviders } from '@caribou/domain-workflow';
import type { LoadedFunction, LoadedProject, ProjectLoader } from '@caribou/ports';
import { importWorkflowApp, type AppLoaderOptions, type RuntimeWorkflow } from './app-loader';
import { CONFIG_FILE, loadIamPolicy, loadProjectConfig } from './config-loader';
import { discoverWorkflowFunctions, type DiscoveredFunction } from './successor-discovery';

/** Where a project's workflow app lives. */
export const APP_ENTRY = 'src/app.ts';

/**
 * Loads a workflow project from disk: `.caribou/config.yml`, the app module (bundled and
 * imported for its registry), static successor discovery over its sources, the IAM
 * policy file, and the DAG built from all of it.
 */
export interface ProjectLoaderOptions extends AppLoaderOptions {
  /** Region codes the shipped data covers: aws/local regions outside it are refused (see `parseProjectConfig`). */
  knownRegionCodes?: ReadonlySet<string>;
  /** Google Cloud region codes the shipped data covers (the Cloud Run regions): other gcp regions are refused. */
  knownGcpRegionCodes?: ReadonlySet<string>;
}

export class FileSystemProjectLoader implements ProjectLoader {
  constructor(private readonly options: ProjectLoaderOptions = {}) {}

  async load(projectDir: string): Promise<LoadedProject> {
    const dir = resolve(projectDir);
    const { knownRegionCodes, knownGcpRegionCodes } = this.options;
    const config = loadProjectConfig(dir, { ...(knownRegionCodes ? { knownRegionCodes } : {}), ...(knownGcpRegionCodes ? { knownGcpRegionCodes } : {}) });
    const appFile = join(dir, APP_ENTRY);
    if (!existsSync(appFile)) {
      throw new CaribouError(`Could not find the workflow app ${APP_ENTRY} in ${dir}: the project's functions are registered there`);
    }
    const app = await importWorkflowApp(appFile, dir, this.options);
    if (config.workflow_name !== app.name) {
      throw new CaribouError(
        `Workflow name in config and workflow app must match: ${CONFIG_FILE} says ${JSON.stringify(config.workflow_name)}, ${APP_ENTRY} says ${JSON.stringify(app.name)}`,
      );
    }
    if (config.workflow_version !== app.version) {
      throw new CaribouError(
        `Workflow version in config and workflow app must match: ${CONFIG_FILE} says ${JSON.stringify(config.workflow_version)}, ${APP_ENTRY} says ${JSON.stringify(app.version)}`,
      );
    }
    const functions = withSuccessors(app, discoverWorkflowFunctions(appFile, dir));
    for (const fn of functions) checkDataLocation(fn.name, fn.dataRegion, fn.dataBytesPerInvocation, config.home_region, this.options.knownRegionCodes);
    const iamPolicy = loadIamPolicy(
      dir,
      config,
      functions.map((fn) => fn.regionsAndProviders),
    );
    const workflow = buildWorkflow(config, functions);
    return { projectDir: dir, appEntry: APP_ENTRY, config, iamPolicy, functions, workflow };
  }
}

/** Joins what the app registered when it ran with what its sources say each function invokes. */
function withSuccessors(app: RuntimeWorkflow, discovered: readonly DiscoveredFunction[]): LoadedFunction[] {
  const byName = new Map(discovered.map((fn) => [fn.name, fn]));
  return app.functions.map((fn) => {
    const found = byName.get(fn.name);
    if (!found) {
      throw new CaribouError(
        `Function ${fn.name} is registered when ${APP_ENTRY} runs, but no serverlessFunction call with that name was found in ${APP_ENTRY} or the files it imports: give it a literal { name: '${fn.name}' }`,
      );
    }
    return {
      name: fn.name,
      entryPoint: fn.entryPoint,
      successors: found.successors,
      isSync: found.isSync,
      regionsAndProviders: fn.regionsAndProviders as FunctionRegionsAndProviders,
      environmentVariables: fn.environmentVariables,
      allowPlacementDecisionOverride: fn.allowPlacementDecisionOverride,
      dataRegion: fn.dataRegion ?? null,
      dataBytesPerInvocation: fn.dataBytesPerInvocation ?? null,
      location: found.location,
    };
  });
}
