import { z } from 'zod';
import { CaribouError } from '@caribou/domain-common';
import { asyncInvocationProblem, gcpConfigProblem, isSupportedProvider, logRetentionProblem, memoryAndTimeoutProblem, PROVIDERS_NEEDING_MEMORY_AND_TIMEOUT } from './providers';
import { checkAllowedAndDisallowedRegions, checkRegionsKnown } from './region-checks';

/**
 * `.caribou/config.yml` (reference-system §2.2). Field messages follow pydantic's
 * ("Field required", "Input should be a valid …") and the reference's own validator
 * texts, so users of the original recognise them. Unknown keys are kept, not rejected:
 * the stored deployment config is the file as written.
 */

type Expected = 'string' | 'integer' | 'number' | 'dictionary' | 'list';

const expected =
  (kind: Expected) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'Field required' : `Input should be a valid ${kind}`;

const text = () => z.string({ error: expected('string') });
const dict = <T extends z.ZodType>(values: T) => z.record(z.string(), values, { error: expected('dictionary') });
const list = <T extends z.ZodType>(items: T) => z.array(items, { error: expected('list') });
const object = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape, { error: expected('dictionary') });

/** Names the platforms set themselves: AWS Lambda refuses them at CreateFunction, after part of a deploy is done. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION',
]);

export const EnvironmentVariableSchema = object({
  key: z.string({ error: 'Environment variable key need to be a str' }),
  value: z.string({ error: 'Environment variable value need to be a str' }),
}).superRefine((variable, ctx) => {
  // Checked here so a key no platform takes is refused before anything is created, on every provider alike.
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(variable.key)) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: `${JSON.stringify(variable.key)} is not a variable name: use letters, digits and _, starting with a letter` });
  } else if (RESERVED_VARIABLES.has(variable.key)) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: `${variable.key} is set by the platform itself; choose another name` });
  }
});

export const ProviderRegionSchema = object({ provider: text(), region: text() });

export const ProviderSchema = object({ config: dict(z.unknown()) });

/** Checks the reference's `RegionAndProviders.validate_config` adds on top of the field types. */
function checkProviders(providers: Record<string, { config: Record<string, unknown> }>, ctx: z.RefinementCtx): void {
  for (const [provider, { config }] of Object.entries(providers)) {
    if (!isSupportedProvider(provider)) {
      ctx.addIssue({ code: 'custom', path: ['providers', provider], message: `Provider ${provider} is not supported` });
      return;
    }
    const problem =
      provider === 'gcp'
        ? gcpConfigProblem(config)
        : PROVIDERS_NEEDING_MEMORY_AND_TIMEOUT.has(provider)
          ? (memoryAndTimeoutProblem(provider, config) ?? asyncInvocationProblem(config) ?? logRetentionProblem(config))
          : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['providers', provider, 'config', problem.key], message: problem.message });
      return;
    }
  }
}

export const RegionsAndProvidersSchema = object({
  allowed_regions: list(ProviderRegionSchema).nullish(),
  disallowed_regions: list(ProviderRegionSchema).nullish(),
  providers: dict(ProviderSchema),
}).superRefine((value, ctx) => checkProviders(value.providers, ctx));

export const CONSTRAINT_NAMES = ['cost', 'runtime', 'carbon'] as const;
export type ConstraintName = (typeof CONSTRAINT_NAMES)[number];
const isConstraintName = (name: string): name is ConstraintName => (CONSTRAINT_NAMES as readonly string[]).includes(name);

export const ConstraintSchema = object({
  value: z.number({ error: expected('number') }),
  type: text(),
}).superRefine((constraint, ctx) => {
  if (constraint.type !== 'absolute' && constraint.type !== 'relative') {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `Constraint type ${constraint.type} is not supported` });
    return;
  }
  // A limit no deployment can meet (or a non-finite one) would only show up as "no feasible placement".
  if (!Number.isFinite(constraint.value)) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a finite number (got ${constraint.value})` });
  } else if (constraint.type === 'relative' && constraint.value <= 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: `a relative limit is a percentage of the all-home deployment and must be above 0, e.g. 125 for at most 25 % more (got ${constraint.value})`,
    });
  } else if (constraint.type === 'absolute' && constraint.value < 0) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: `an absolute limit must be 0 or more (got ${constraint.value})` });
  }
});

const constraintMap = () => dict(ConstraintSchema.nullable()).nullable();

export const ConstraintsSchema = object({
  hard_resource_constraints: constraintMap(),
  soft_resource_constraints: constraintMap(),
  priority_order: list(text()),
}).superRefine((constraints, ctx) => {
  constraints.priority_order.forEach((name, index) => {
    if (!isConstraintName(name)) {
      ctx.addIssue({ code: 'custom', path: ['priority_order', index], message: `Priority order value ${name} is not supported` });
    }
  });
  const kinds = [
    ['hard_resource_constraints', 'Hard'],
    ['soft_resource_constraints', 'Soft'],
  ] as const;
  for (const [field, label] of kinds) {
    for (const name of Object.keys(constraints[field] ?? {})) {
      if (!isConstraintName(name)) {
        ctx.addIssue({ code: 'custom', path: [field, name], message: `${label} resource constraint ${name} is not supported` });
      }
    }
  }
});

export const ProjectConfigSchema = object({
  workflow_name: text(),
  workflow_version: text(),
  environment_variables: list(EnvironmentVariableSchema).nullish(),
  iam_policy_file: text(),
  home_region: ProviderRegionSchema,
  /** Ours: where the workflow's clients call it from (default: the home region); the solver prices the hop to the entry point. */
  client_region: ProviderRegionSchema.nullish(),
  regions_and_providers: RegionsAndProvidersSchema,
  constraints: ConstraintsSchema,
  num_calls_in_one_month: z.int({ error: expected('integer') }).nonnegative({ error: 'must be 0 or more' }).nullish(),
  /** Accepted for compatibility; the reference never passes it on (§2.2), neither do we. */
  deployment_algorithm: text().nullish(),
  /** Not in the reference's schema but copied into the workflow config; checked here so the solver never reads text. */
  estimated_invocations_per_month: z
    .number({ error: expected('number') })
    .nonnegative({ error: 'must be 0 or more' })
    .finite({ error: 'must be a finite number' })
    .nullish(),
  solver: text().nullish(),
  /** Ours: how functions are packaged on AWS — a zip of the bundle (default, no Docker) or a container image. */
  packaging: z.enum(['zip', 'image'], { error: 'packaging must be "zip" (default) or "image"' }).nullish(),
});

export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;
export type ProjectRegionsAndProviders = z.infer<typeof RegionsAndProvidersSchema>;
export type EnvironmentVariable = z.infer<typeof EnvironmentVariableSchema>;

/** `regions_and_providers.providers.aws.config.memory`, `environment_variables[0].value`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/**
 * Parses `value` with `schema`, throwing one line `<context>: <field path>: <message>`
 * for the first problem (and how many more there are).
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, context: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const where = first!.path.length > 0 ? `${formatPath(first!.path)}: ` : '';
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  throw new CaribouError(`${context}: ${where}${first!.message}${more}`);
}

/**
 * Validates a parsed `config.yml` document the way `DeployerFactory._validate_config`
 * does: must be a mapping, must match the schema, then the allowed/disallowed/home
 * region cross-checks. Returns the config with unknown keys kept.
 */
export function parseProjectConfig(document: unknown, options: ProjectConfigOptions = {}): ProjectConfig {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CaribouError('project config must be a dictionary');
  }
  const config = parseOrThrow(ProjectConfigSchema, document, 'Invalid project config');
  checkAllowedAndDisallowedRegions(config);
  if (options.knownRegionCodes) checkRegionsKnown(config, options.knownRegionCodes, options.knownGcpRegionCodes);
  return config;
}

export interface ProjectConfigOptions {
  /**
   * Region codes the shipped data covers (AWS codes, which `local` regions use too): a
   * region outside it has no carbon, latency or price data, and on AWS no Lambda endpoint.
   */
  knownRegionCodes?: ReadonlySet<string>;
  /** Google Cloud region codes the shipped data covers (the Cloud Run regions); checked with `knownRegionCodes`. */
  knownGcpRegionCodes?: ReadonlySet<string>;
}

/** `environment_variables` as a map (`None` → `{}`), later entries winning like Python's dict. */
export function environmentVariablesOf(config: Pick<ProjectConfig, 'environment_variables'>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const variable of config.environment_variables ?? []) {
    if (typeof variable?.key !== 'string') throw new CaribouError('Environment variable key need to be a str');
    if (typeof variable.value !== 'string') throw new CaribouError('Environment variable value need to be a str');
    variables[variable.key] = variable.value;
  }
  return variables;
}
