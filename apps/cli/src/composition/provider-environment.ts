import { CaribouError } from '@caribou/domain-common';

/** Where a project config names its Google Cloud project. */
export const GCP_PROJECT_FIELD = 'regions_and_providers.providers.gcp.config.project';

/**
 * Variables the deploy sets from the project config for the provider's adapters: the Google
 * Cloud project of `providers.gcp.config.project`. The other commands read no project, so
 * they take it from CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT); a config naming another
 * project than the environment is refused rather than deploying where the others do not look.
 */
export function providerEnvironment(
  config: { regions_and_providers: { providers: Record<string, { config: Record<string, unknown> }> } },
  env: Record<string, string | undefined>,
): Record<string, string> {
  const project = config.regions_and_providers.providers['gcp']?.config['project'];
  if (project === undefined || project === null) return {};
  const fromEnv = env['CARIBOU_GCP_PROJECT']?.trim() || env['GOOGLE_CLOUD_PROJECT']?.trim();
  if (fromEnv && fromEnv !== project) {
    throw new CaribouError(
      `${GCP_PROJECT_FIELD} is ${String(project)} but CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT) is ${fromEnv}; make them the same: run, list and remove use the environment's`,
    );
  }
  return { CARIBOU_GCP_PROJECT: String(project) };
}
