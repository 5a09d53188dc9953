import { createHash } from 'node:crypto';
import type { Artifact } from '@caribou/ports';
import type { FunctionDescription } from './deployable-project';

/** One deploy of a workflow id: what it put live in every copy. */
export interface Release {
  /** Hash of the package and of every function's configuration: equal fingerprints, nothing to update. */
  fingerprint: string;
  /** The Lambda version of each copy (by physical name) this release runs; empty where the platform has no versions. */
  versions: Record<string, string>;
  /** The copies' descriptions as this release deployed them (what a rollback restores for later migrations). */
  descriptions: FunctionDescription[];
  /** The config the release was deployed with (`deployment_config`). */
  deployment_config: string;
}

/** `releases` of the deployment record: the history (oldest first) and the one live now. */
export interface ReleaseHistory {
  active: number;
  history: Release[];
}

/** Releases kept for rollback: the live one and two before it (each holds every copy's description). */
export const RELEASES_KEPT = 3;

/**
 * What decides whether a deploy changes anything: the package and, per workflow function, the
 * configuration its copies get (not the copies' names or regions, which migrations add).
 */
export function releaseFingerprint(artifact: Artifact, descriptions: readonly FunctionDescription[], deploymentConfig: string): string {
  const code = artifact.kind === 'image' ? artifact.imageUri : artifact.sha256;
  const functions = descriptions
    .map((d) => ({
      function_name: d.function_name,
      entry_point: d.entry_point,
      policy: d.role.policy,
      environment_variables: d.environment_variables,
      handler: d.handler,
      runtime: d.runtime,
      memory_mb: d.memory_mb,
      timeout_s: d.timeout_s,
    }))
    .sort((a, b) => a.function_name.localeCompare(b.function_name));
  return createHash('sha256').update(JSON.stringify({ code, functions, config: deploymentConfig })).digest('hex');
}

/** The history with `release` appended as the live one, the oldest dropped beyond RELEASES_KEPT. */
export function withRelease(history: ReleaseHistory | undefined, release: Release): ReleaseHistory {
  const kept = [...(history ? history.history.slice(0, history.active + 1) : []), release].slice(-RELEASES_KEPT);
  return { active: kept.length - 1, history: kept };
}
