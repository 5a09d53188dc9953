/**
 * DI tokens: one Symbol per port, named like the interface it stands for.
 * The apps bind them in Inversify containers; libraries never import Inversify.
 */
export const TOKENS = {
  KeyValueStore: Symbol.for('caribou.KeyValueStore'),
  SyncStoreProvider: Symbol.for('caribou.SyncStoreProvider'),
  FunctionPlatform: Symbol.for('caribou.FunctionPlatform'),
  FunctionInvoker: Symbol.for('caribou.FunctionInvoker'),
  ArtifactCopier: Symbol.for('caribou.ArtifactCopier'),
  PackageBuilder: Symbol.for('caribou.PackageBuilder'),
  IdentityManager: Symbol.for('caribou.IdentityManager'),
  LogSource: Symbol.for('caribou.LogSource'),
  Scheduler: Symbol.for('caribou.Scheduler'),
  RemoteFramework: Symbol.for('caribou.RemoteFramework'),
  CarbonSource: Symbol.for('caribou.CarbonSource'),
  RegionCatalog: Symbol.for('caribou.RegionCatalog'),
  LatencySource: Symbol.for('caribou.LatencySource'),
  ProjectLoader: Symbol.for('caribou.ProjectLoader'),
  Clock: Symbol.for('caribou.Clock'),
  RandomSource: Symbol.for('caribou.RandomSource'),
  ProgressReporter: Symbol.for('caribou.ProgressReporter'),
  PlatformHousekeeping: Symbol.for('caribou.PlatformHousekeeping'),
} as const;
