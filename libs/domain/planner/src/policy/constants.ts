/** Constants of the re-solve policy (reference-solver.md §9, §10; `monitors/deployment_manager.py`). */
export const ResolvePolicyConstants = {
  /** A workflow is first solved after this many invocations. */
  minimalSolveThreshold: 10,
  /** Invocations older than this are forgotten when the workflow was never solved. */
  forgettingTimeDays: 30,
  /** Regions farther than this from home do not count towards the carbon-saving potential. */
  distanceForPotentialMigrationKm: 4000,
  /** Grams saved per invocation-second per gCO2e/kWh of spread (the "carbon credit" rate). */
  carbonIntensityToInvocationSecondEstimate: 0.001,
  /** Token price per instance per hourly solve per gCO2e/kWh of the system region. */
  perInstanceSolveEstimate: { coarse: 1e-5, stochastic: 1e-4 },
  migrationCostPerInstance: 0.0001,
  /** The hourly-solve counts tried, in order. */
  numberOfSolves: [1, 2, 3, 4, 6, 8, 12, 24] as readonly number[],
  monitorCooldownSeconds: 86_400,
  /** The carbon loader's default: a region at exactly this value is treated as missing data. */
  defaultCarbonIntensity: 410,
} as const;

export type SolveTier = keyof typeof ResolvePolicyConstants.perInstanceSolveEstimate;
