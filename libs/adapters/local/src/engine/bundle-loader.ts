import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CaribouError } from '@caribou/domain-common';
import type { LocalFunctionRow } from '../function-platform';
import type { WorkflowModule, WorkflowModuleLoader } from './types';

/**
 * Imports a deployed function's bundle. The code hash is part of the module URL, so an
 * updated function loads its new code while unchanged copies stay warm.
 */
export const importDeployedBundle: WorkflowModuleLoader = async (fn: LocalFunctionRow): Promise<WorkflowModule> => {
  const url = `${pathToFileURL(join(fn.artifact_dir, 'index.mjs')).href}?sha=${fn.artifact_sha256}`;
  const module = (await import(url)) as Partial<WorkflowModule>;
  if (!module.workflow || typeof module.handleInvocation !== 'function') {
    throw new CaribouError(`Bundle of ${fn.name} does not export a workflow and the Caribou runtime; deploy it again`);
  }
  return module as WorkflowModule;
};
