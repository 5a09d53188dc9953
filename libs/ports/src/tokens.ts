import type { CarbonSource, Geocoder, LatencySource, RegionCatalog } from './collection/index';
import type { EnabledRegions } from './enabled-regions.port';
import type { FailureDestinations } from './failure-destination.port';
import type { ArtifactCopier, FunctionInvoker, FunctionPlatform, FunctionReleases } from './function-platform.port';
import type { PlatformHousekeeping } from './housekeeping.port';
import type { IdentityManager } from './identity-manager.port';
import type { KeyValueStore } from './key-value-store.port';
import type { FunctionLogGroups } from './log-group.port';
import type { LogSource } from './log-source.port';
import type { PackageBuilder } from './package-builder.port';
import type { ProjectLoader, ProjectScaffolder } from './project/index';
import type { RunTracker } from './run-tracker.port';
import type { Clock, ProgressReporter, RandomSource, Sleeper } from './runtime.port';
import type { RemoteFramework, Scheduler, SchedulerLock, TimerStore } from './scheduler.port';
import type { DeploymentMetricsEvaluatorFactory } from './solver/index';
import type { SyncStoreProvider } from './sync-store.port';

/**
 * A DI token that knows the type bound to it. At run time it is a plain `Symbol.for` symbol
 * (so every copy of a module agrees on it). The abstract constructor signature exists only
 * for the type checker: Inversify's `ServiceIdentifier<T>` includes `AbstractNewable<T>`, so
 * `container.get(TOKEN)`, `ctx.get(TOKEN)` and `bind(TOKEN).to…` infer and check `T`.
 * Abstract, it cannot be called with `new`; nothing in this layer imports Inversify.
 */
export type Token<T> = symbol & (abstract new (...args: never[]) => T);

/** The token named `caribou.<name>`, typed. */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`caribou.${name}`) as Token<T>;
}

/**
 * One token per port, named like the interface it stands for. The adapter packages bind
 * them in their Inversify ContainerModules; both apps load those modules.
 */
export const TOKENS = {
  KeyValueStore: token<KeyValueStore>('KeyValueStore'),
  SyncStoreProvider: token<SyncStoreProvider>('SyncStoreProvider'),
  FunctionPlatform: token<FunctionPlatform>('FunctionPlatform'),
  /** Optional: bound where functions have versions behind an alias (AWS). */
  FunctionReleases: token<FunctionReleases>('FunctionReleases'),
  FunctionInvoker: token<FunctionInvoker>('FunctionInvoker'),
  ArtifactCopier: token<ArtifactCopier>('ArtifactCopier'),
  /** On-failure destinations of asynchronous invocations (one per region per install). */
  FailureDestinations: token<FailureDestinations>('FailureDestinations'),
  /** What `deploy` builds a workflow's package with (the provider's whole packaging: zip, image). */
  PackageBuilder: token<PackageBuilder>('PackageBuilder'),
  /** The bundler alone, writing what the provider deploys (a zip on AWS, a directory locally). */
  FunctionBundler: token<PackageBuilder>('FunctionBundler'),
  /** The bundler writing the bundle directory only (container images copy it in). */
  BundleDirectoryBuilder: token<PackageBuilder>('BundleDirectoryBuilder'),
  IdentityManager: token<IdentityManager>('IdentityManager'),
  LogSource: token<LogSource>('LogSource'),
  /** Optional: bound where Caribou owns the functions' log groups (AWS: created with a retention, deleted with the function). */
  FunctionLogGroups: token<FunctionLogGroups>('FunctionLogGroups'),
  /** Optional: bound where an account enables regions (AWS opt-in regions); deploy, planning and migration skip the others. */
  EnabledRegions: token<EnabledRegions>('EnabledRegions'),
  Scheduler: token<Scheduler>('Scheduler'),
  RemoteFramework: token<RemoteFramework>('RemoteFramework'),
  /** Where a scheduler runs in this process (local provider): its timers and its one-loop lock. */
  TimerStore: token<TimerStore>('TimerStore'),
  SchedulerLock: token<SchedulerLock>('SchedulerLock'),
  /** Carbon, catalog and latency sources the collectors read (live in front of offline, when available). */
  CarbonSource: token<CarbonSource>('CarbonSource'),
  RegionCatalog: token<RegionCatalog>('RegionCatalog'),
  LatencySource: token<LatencySource>('LatencySource'),
  ProjectLoader: token<ProjectLoader>('ProjectLoader'),
  ProjectScaffolder: token<ProjectScaffolder>('ProjectScaffolder'),
  Clock: token<Clock>('Clock'),
  Sleeper: token<Sleeper>('Sleeper'),
  RandomSource: token<RandomSource>('RandomSource'),
  ProgressReporter: token<ProgressReporter>('ProgressReporter'),
  PlatformHousekeeping: token<PlatformHousekeeping>('PlatformHousekeeping'),
  RunTracker: token<RunTracker>('RunTracker'),
  /** The worker-thread evaluator (`fast`, the reference's `go` calculator). */
  FastEvaluatorFactory: token<DeploymentMetricsEvaluatorFactory>('FastEvaluatorFactory'),
} as const;

/**
 * The data sources behind the collectors' ports, each bound by its own adapter package:
 * the shipped dataset always, a live source only when it can answer (its key is set, the
 * provider has it). The application module puts the live one in front of the offline one.
 */
export const SOURCE_TOKENS = {
  OfflineCarbonSource: token<CarbonSource>('OfflineCarbonSource'),
  LiveCarbonSource: token<CarbonSource>('LiveCarbonSource'),
  OfflineLatencySource: token<LatencySource>('OfflineLatencySource'),
  LiveLatencySource: token<LatencySource>('LiveLatencySource'),
  OfflineRegionCatalog: token<RegionCatalog>('OfflineRegionCatalog'),
  LiveRegionCatalog: token<RegionCatalog>('LiveRegionCatalog'),
  Geocoder: token<Geocoder>('Geocoder'),
} as const;
