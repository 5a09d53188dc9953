import { z } from 'zod';

/*
 * Schemas of the workflow rows deploy writes, shared by the application (which reads every row
 * through them) and the AWS run tracker. Imported as `@caribou/domain-workflow/schemas`, not from
 * the package root, so what imports the root for the placement codec does not load them.
 */

/** A JSON text nested in a row (the reference double-encodes `deployed_regions`, `workflow_config`, …). */
export const jsonText = <T extends z.ZodType>(inner: T) =>
  z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `not JSON: ${(error as Error).message}`, input: text });
        return z.NEVER;
      }
    })
    .pipe(inner);

export const finiteNumber = z.number().refine(Number.isFinite, 'not a finite number');
export const providerRegionSchema = z.looseObject({ provider: z.string(), region: z.string() });

/** One entry of `deployment_resources_table[id].deployed_regions`. */
export const deployedRegionSchema = z.looseObject({ deploy_region: providerRegionSchema, identifier: z.string(), function_identifier: z.string() });

/** One entry of `deployment_resources_table[id].workflow_function_descriptions`: how to create (or copy) a function. */
export const functionDescriptionSchema = z.looseObject({
  name: z.string(),
  function_name: z.string(),
  entry_point: z.boolean(),
  role: z.looseObject({ policy: z.string(), role_name: z.string() }),
  environment_variables: z.record(z.string(), z.string()),
  handler: z.string(),
  runtime: z.string(),
  providers: z.record(z.string(), z.looseObject({ config: z.record(z.string(), z.unknown()) })),
  memory_mb: finiteNumber,
  timeout_s: finiteNumber,
});

/** `deployment_resources_table`: what deploy created; the inner maps are JSON texts, as the reference stores them. */
export const deploymentResourcesSchema = z.looseObject({
  // First: the field every reader needs, so its damage is the one named.
  deployed_regions: jsonText(z.record(z.string(), deployedRegionSchema)),
  workflow_function_descriptions: jsonText(z.array(functionDescriptionSchema)),
  deployment_config: jsonText(z.looseObject({})),
  workflow_id: z.string().optional(),
  /** Ours: copies no plan uses, kept until the runs in flight have drained; absent: none. */
  retiring_copies: jsonText(z.record(z.string(), z.looseObject({ deploy_region: providerRegionSchema, retire_after: z.string() }))).optional(),
  /** Ours: the releases of an updated workflow (in-place deploys, rollback); absent on older deployments. */
  releases: jsonText(
    z.looseObject({
      active: z.number().int().nonnegative(),
      history: z.array(
        z.looseObject({
          fingerprint: z.string(),
          versions: z.record(z.string(), z.string()),
          descriptions: z.array(functionDescriptionSchema),
          deployment_config: z.string(),
        }),
      ),
    }),
  ).optional(),
});
