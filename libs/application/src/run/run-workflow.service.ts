import { CaribouError, formatTime, HOME_REGION_THRESHOLD, MAX_TRANSFER_SIZE, stringSizeGb, Tables, utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { clientEnvelope, encodePayload, NO_TIME_KEY, oversizeMessageError, RunPlacement, runDecisionOf, timeKeyForRun } from '@caribou/domain-routing';
import type { Clock, FunctionInvoker, KeyValueStore, RandomSource } from '@caribou/ports';
import { parseRow } from '../stored-rows';

/**
 * Where a run's functions were sent: `no-plan` — no placement plan in force (none published
 * yet, or it expired), so everything runs at home; `home-sample` — the plan is in force but
 * this run is one of the 10 % kept at home to keep measuring it; `plan` — the plan's
 * placement for the hours from `timeKey`.
 */
export type RunPlacementKind = 'no-plan' | 'home-sample' | 'plan';

export interface RunStarted {
  runId: string;
  sentToHomeRegion: boolean;
  timeKey: string;
  placement: RunPlacementKind;
  entryRegion: ProviderRegion;
}

export interface RunWorkflowDeps {
  store: KeyValueStore;
  invoker: FunctionInvoker;
  clock: Clock;
  random: RandomSource;
}

/**
 * `caribou run`: the reference's endpoint client (reference-system §5.1). Reads the
 * placement decision once, decides the run's plan (10 % of runs go home; the time
 * key of the current hour; an expired plan means home), and sends the first message
 * to the entry point's region with that one placement in it (domain-routing's run
 * decision). The argument travels as given: the CLI's raw JSON string, or the JSON
 * value the remote framework received (reference-system §12.2 #6).
 */
export class RunWorkflowService {
  constructor(private readonly deps: RunWorkflowDeps) {}

  async run(workflowId: string, argument?: unknown): Promise<RunStarted> {
    if (!workflowId) throw new CaribouError('No workflow id provided');
    const now = this.deps.clock.now();
    const timeRequestSent = formatTime(now);
    const { value, consumedReadCapacity } = await this.deps.store.getWithCapacity(Tables.workflowPlacementDecision, workflowId);
    if (!value) {
      throw new CaribouError(
        `No workflow placement decision found for workflow, did you deploy the workflow and is the workflow id (${workflowId}) correct?`,
      );
    }
    const wpd = parseRow(Tables.workflowPlacementDecision, workflowId, value);
    const sendToHome = this.deps.random.random() < HOME_REGION_THRESHOLD;
    const plan = new RunPlacement(
      runDecisionOf(wpd, {
        run_id: this.deps.random.uuid(),
        time_key: timeKeyForRun(wpd, now),
        send_to_home_region: sendToHome,
        data_size: stringSizeGb(value),
        consumed_read_capacity: consumedReadCapacity,
      }),
    );
    const { decision } = plan;
    const entry = plan.placementOf(decision.current_instance_name);
    const payload = argument ?? '';
    const message = encodePayload(clientEnvelope({ payload, timeRequestSent, decision }));
    const bytes = utf8Length(message);
    if (bytes > MAX_TRANSFER_SIZE) {
      throw oversizeMessageError({
        message: 'The first message of the run',
        bytes,
        dataLabel: 'argument',
        dataBytes: utf8Length(encodePayload(payload)),
        decisionBytes: plan.bytes(),
      });
    }
    await this.deps.invoker.invokeAsync(entry.provider_region, entry.identifier, message);
    const placement: RunPlacementKind = decision.time_key === NO_TIME_KEY ? 'no-plan' : sendToHome ? 'home-sample' : 'plan';
    return { runId: decision.run_id, sentToHomeRegion: sendToHome, timeKey: decision.time_key, placement, entryRegion: entry.provider_region };
  }
}
