import { CaribouError, formatTime, HOME_REGION_THRESHOLD, MAX_TRANSFER_SIZE, stringSizeGb, Tables, utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { clientEnvelope, encodePayload, resolvePlacement, timeKeyForRun } from '@caribou/domain-routing';
import type { WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { Clock, FunctionInvoker, KeyValueStore, RandomSource } from '@caribou/ports';

export interface RunStarted {
  runId: string;
  sentToHomeRegion: boolean;
  timeKey: string;
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
 * to the entry point's region. The argument travels as given: the CLI's raw JSON string,
 * or the JSON value the remote framework received (reference-system §12.2 #6).
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
    const wpd = JSON.parse(value) as WorkflowPlacementDecision;
    const sendToHome = this.deps.random.random() < HOME_REGION_THRESHOLD;
    wpd.time_key = timeKeyForRun(wpd, now);
    wpd.send_to_home_region = sendToHome;
    wpd.run_id = this.deps.random.uuid();
    wpd.data_size = stringSizeGb(value);
    wpd.consumed_read_capacity = consumedReadCapacity;
    const entry = resolvePlacement(wpd, wpd.current_instance_name);
    const message = encodePayload(clientEnvelope({ payload: argument ?? '', timeRequestSent, wpd }));
    const bytes = utf8Length(message);
    if (bytes > MAX_TRANSFER_SIZE) {
      throw new CaribouError(
        `The first message of the run is ${bytes} bytes (argument plus placement decision), over the limit of ${MAX_TRANSFER_SIZE}; pass large input by reference (e.g. an object store key)`,
      );
    }
    await this.deps.invoker.invokeAsync(entry.provider_region, entry.identifier, message);
    return { runId: wpd.run_id, sentToHomeRegion: sendToHome, timeKey: wpd.time_key, entryRegion: entry.provider_region };
  }
}
