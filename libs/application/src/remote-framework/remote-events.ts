import { z } from 'zod';

/**
 * The remote framework's events (`caribou_cli`), exactly as the user's seed documents give them
 * (remote-cli-development, quick-start; reference-system §10): one zod schema per public action
 * and per internal action type. Parsing never throws: a bad event is one line that names the
 * field and says what it must be, with the reference's wording where the reference had one.
 */

export const REMOTE_ACTIONS = [
  'run',
  'list',
  'version',
  'data_collect',
  'log_sync',
  'manage_deployments',
  'remove',
  'run_deployment_migrator',
  'internal_action',
] as const;
export const INTERNAL_ACTION_TYPES = ['sync_workflow', 'check_workflow', 'run_deployment_algorithm', 're_deploy_workflow'] as const;
export const COLLECTORS = ['provider', 'carbon', 'performance', 'workflow', 'all'] as const;
/** `simple` is the in-thread evaluator; `go` (the reference's Go solver) selects the worker-thread evaluator. */
export const CALCULATOR_TYPES = ['simple', 'go'] as const;

export type RemoteAction = (typeof REMOTE_ACTIONS)[number];
export type InternalActionType = (typeof INTERNAL_ACTION_TYPES)[number];
export type Collector = (typeof COLLECTORS)[number];
export type CalculatorType = (typeof CALCULATOR_TYPES)[number];

/**
 * A workflow id (`<name>-<version>` as `caribou list` prints it): a string without spaces or
 * control characters, at most 128 characters. Whether it is deployed is the actions' question (404).
 */
const workflowId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s\p{Cc}]+$/u);
/** Absent, null or empty: no workflow (the reference tests `if not workflow_id`). */
const optionalWorkflowId = z
  .union([z.literal(''), z.null(), workflowId])
  .optional()
  .transform((id) => id || undefined);
const calculator = z.enum(CALCULATOR_TYPES);
/** An hour of the day as the seed writes it (1) or the reference sends it ("1"). */
const solveHour = z.union([
  z.int().min(0).max(23),
  z
    .string()
    .regex(/^(?:[0-9]|1[0-9]|2[0-3])$/)
    .transform(Number),
]);
const solveHours = z
  .array(solveHour)
  .min(1)
  .max(24)
  .refine((hours) => new Set(hours).size === hours.length);
const leftoverTokens = z.int().min(0);

const bare = <A extends RemoteAction>(action: A) => z.object({ action: z.literal(action) });

const ACTION_SCHEMAS = {
  run: z.object({ action: z.literal('run'), workflow_id: workflowId, argument: z.unknown() }),
  list: bare('list'),
  version: bare('version'),
  data_collect: z
    .object({ action: z.literal('data_collect'), collector: z.enum(COLLECTORS), workflow_id: optionalWorkflowId })
    .superRefine((event, ctx) => {
      if (event.collector === 'workflow' && !event.workflow_id)
        ctx.addIssue({ code: 'custom', path: ['workflow_id'], message: 'Workflow_id must be provided for the workflow collector.' });
    }),
  log_sync: bare('log_sync'),
  manage_deployments: z.object({
    action: z.literal('manage_deployments'),
    // The reference's default when the key is absent.
    deployment_metrics_calculator_type: z
      .union([z.null(), calculator])
      .optional()
      .transform((type) => type ?? 'simple'),
  }),
  remove: z.object({ action: z.literal('remove'), workflow_id: workflowId }),
  run_deployment_migrator: bare('run_deployment_migrator'),
} as const;

const INTERNAL_SCHEMAS = {
  // max_intervals: a continuation's narrower window (the sync before it ran out of time).
  sync_workflow: z.object({ workflow_id: workflowId, max_intervals: z.int().min(1).optional() }),
  check_workflow: z.object({ workflow_id: workflowId, deployment_metrics_calculator_type: calculator }),
  run_deployment_algorithm: z.object({
    workflow_id: workflowId,
    deployment_metrics_calculator_type: calculator,
    solve_hours: solveHours,
    leftover_tokens: leftoverTokens,
  }),
  re_deploy_workflow: z.object({ workflow_id: workflowId }),
} as const;

type PublicEvent = { [A in keyof typeof ACTION_SCHEMAS]: z.output<(typeof ACTION_SCHEMAS)[A]> }[keyof typeof ACTION_SCHEMAS];
export type InternalEvent = {
  [T in InternalActionType]: { action: 'internal_action'; type: T; event: z.output<(typeof INTERNAL_SCHEMAS)[T]> };
}[InternalActionType];
/** A well-formed event; `solve_hours` are numbers, `manage_deployments` always has its calculator. */
export type RemoteEvent = PublicEvent | InternalEvent;

export type ParsedRemoteEvent = { ok: true; event: RemoteEvent } | { ok: false; message: string };

/** How each field is reported: the reference's sentence when it is missing, what it must be otherwise. */
const FIELDS: Record<string, { missing: string; invalid: (path: string, value: unknown) => string }> = {
  workflow_id: {
    missing: 'No workflow_id specified',
    invalid: (path, value) => `Invalid ${path}: expected a workflow id <name>-<version> as caribou list prints it (no spaces, at most 128 characters), got ${shown(value)}`,
  },
  collector: {
    missing: 'No collector specified',
    invalid: () => `Invalid collector specified, Allowed values are ${COLLECTORS.join(', ')}`,
  },
  deployment_metrics_calculator_type: {
    missing: 'No deployment_metrics_calculator_type specified',
    invalid: () => "Invalid deployment_metrics_calculator_type specified. Allowed values are 'simple', 'go'",
  },
  solve_hours: {
    missing: 'No solve_hours specified',
    invalid: (path, value) => `Invalid ${path}: expected a list of distinct UTC hours 0–23 (numbers or numeric strings), got ${shown(value)}`,
  },
  max_intervals: {
    missing: 'No max_intervals specified',
    invalid: (path, value) => `Invalid ${path}: expected a whole number of days ≥ 1 to sync, got ${shown(value)}`,
  },
  leftover_tokens: {
    missing: 'No leftover_tokens specified',
    invalid: (path, value) => `Invalid ${path}: expected a whole number of tokens ≥ 0, got ${shown(value)}`,
  },
};

/** A value as a message shows it: short, and never `[object Object]`. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `the list ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'string') return `the string ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return `the number ${value}`;
  return String(typeof value);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isMissing = (value: unknown): boolean => value === undefined || value === null || value === '';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem of a failed parse, as one line naming the field (prefix `event.` inside internal actions). */
function describeIssue(error: z.ZodError, input: Record<string, unknown>, prefix: string): string {
  const issue = error.issues[0]!;
  const field = issue.path.find((key): key is string => typeof key === 'string' && key in FIELDS);
  const value = field === undefined ? undefined : input[field];
  // A rule across fields (the workflow collector needs a workflow_id) says itself what is missing.
  if (issue.code === 'custom' && (field === undefined || isMissing(value))) return issue.message;
  if (!field) return `Invalid ${prefix}${issue.path.join('.')}: ${issue.message}`;
  return isMissing(value) ? FIELDS[field]!.missing : FIELDS[field]!.invalid(`${prefix}${field}`, value);
}

/** Parses one event the remote framework received. Never throws. */
export function parseRemoteEvent(input: unknown): ParsedRemoteEvent {
  if (!isObject(input)) return { ok: false, message: `No action specified: the event must be a JSON object with an action, got ${shown(input)}` };
  const action = input.action;
  if (isMissing(action)) return { ok: false, message: 'No action specified' };
  if (typeof action !== 'string') return { ok: false, message: `Invalid action: expected one of ${REMOTE_ACTIONS.join(', ')}, got ${shown(action)}` };
  if (!(REMOTE_ACTIONS as readonly string[]).includes(action)) return { ok: false, message: 'Unknown action' };
  if (action === 'internal_action') return parseInternalEvent(input);
  const parsed = ACTION_SCHEMAS[action as keyof typeof ACTION_SCHEMAS].safeParse(input);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, message: describeIssue(parsed.error, input, '') };
}

function parseInternalEvent(input: Record<string, unknown>): ParsedRemoteEvent {
  const type = input.type;
  const allowed = INTERNAL_ACTION_TYPES.join(', ');
  if (isMissing(type)) return { ok: false, message: `No special_action specified: type must be one of ${allowed}` };
  if (typeof type !== 'string' || !(INTERNAL_ACTION_TYPES as readonly string[]).includes(type)) {
    return { ok: false, message: `Unknown special action: type must be one of ${allowed}, got ${shown(type)}` };
  }
  // As the reference: no event means an empty one (its fields are then reported missing).
  const body = input.event ?? {};
  if (!isObject(body)) return { ok: false, message: `Invalid event: expected an object with the ${type} fields, got ${shown(body)}` };
  const parsed = INTERNAL_SCHEMAS[type as InternalActionType].safeParse(body);
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error, body, 'event.') };
  return { ok: true, event: { action: 'internal_action', type, event: parsed.data } as InternalEvent };
}
