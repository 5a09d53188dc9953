import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '@caribou/adapter-aws/lambda-runtime';
import { emulatorClients } from '@caribou/adapter-aws/testing';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { RunWorkflowService, type DeployWorkflowService, type MigrateDeploymentsService, type RemoveWorkflowService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { Tables, utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { measurePlan, RUN_DECISION_FORMAT, RunPlacement, type RunDecision } from '@caribou/domain-routing';
import { functionNameOfPhysicalName, parsePlacementDecision } from '@caribou/domain-workflow';
import { TOKENS, type FunctionInvoker, type FunctionPlatform, type KeyValueStore } from '@caribou/ports';
import { dayPlan, wideWorkflowFunctions, wideWorkflowModule, writeWideWorkflowProject } from '../workloads/wide-workflow';

const SYSTEM = 'us-west-2';
const HOME: ProviderRegion = { provider: 'aws', region: 'us-east-1' };
const MOVED: ProviderRegion = { provider: 'aws', region: 'ca-central-1' };
const WF = 'wide_workflow-0.0.1';
const HOUR = 5;

interface RecordedInvoke {
  region: ProviderRegion;
  identifier: string;
  message: string;
}

/** The real invoker (Lambda Invoke on moto), remembering what it sent once Lambda accepted it. */
const recording = (invoker: FunctionInvoker, into: RecordedInvoke[]): FunctionInvoker => ({
  async invokeAsync(region, identifier, message) {
    await invoker.invokeAsync(region, identifier, message);
    into.push({ region, identifier, message });
  },
});

/**
 * Must show (issue 12), the AWS half: the generated 100-function workflow is deployed to moto,
 * its 24-hour plan (24 distinct placements) is published by the migrator, and a run under the
 * plan is invoked through Lambda with the compact message. moto does not execute Lambda code,
 * so every accepted invoke is then handled in this process by the Lambda handler of the
 * function it addressed, with the message Lambda was given: the whole run goes through
 * Lambda Invoke and the DynamoDB sync tables on moto.
 */
describe('a 100-function workflow under a 24-hour plan, on moto', () => {
  const endpoint = inject('awsEndpoint');
  let container: CaribouContainer;
  let store: KeyValueStore;
  let projectDir: string;
  let account: string;

  beforeAll(async () => {
    // The emulator's account (moto's, LocalStack's), as on AWS: from STS.
    const clients = emulatorClients();
    account = await clients.accountId();
    clients.destroy();
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: endpoint, CARIBOU_SYSTEM_REGION: SYSTEM });
    store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
    projectDir = mkdtempSync(join(tmpdir(), 'caribou-hundred-aws-'));
    writeWideWorkflowProject(projectDir, { functions: 100, home: HOME, regions: [MOVED.region] });
  });

  afterAll(async () => {
    await container.get<RemoveWorkflowService>(SERVICES.Remove).remove(WF);
    await container.close();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('deploys, publishes the plan, and a run at 05:30 UTC is invoked and routed by the compact message through Lambda', async () => {
    await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(await new FileSystemProjectLoader().load(projectDir));
    const instances = Object.keys(parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF).instances);
    expect(instances).toHaveLength(100);
    // One instance moves per hour: 24 distinct placements, 24 copies (each copy costs moto a role and a function).
    const staged = dayPlan({ instances, home: HOME, regions: [MOVED], mode: 'single' });
    expect(new Set(Object.values(staged.time_keys_to_staging_area_data).map((hour) => JSON.stringify(hour))).size).toBe(24);
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const [report] = await container.get<MigrateDeploymentsService>(SERVICES.Migrate).migrate();
    expect(report!.applied).toBe(true);
    expect(await container.get<FunctionPlatform>(TOKENS.FunctionPlatform).list(MOVED)).toHaveLength(24);

    // Published: the DynamoDB item holds the compact 24-hour decision.
    const published = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    expect(published.plan_version).toBe(2);
    expect(published.workflow_placement.current_deployment!.time_keys).toHaveLength(24);
    expect(measurePlan(published).largestMessage.bytes).toBeLessThan(64 * 1024);

    const sent: RecordedInvoke[] = [];
    const realInvoker = container.get<FunctionInvoker>(TOKENS.FunctionInvoker);
    const runner = new RunWorkflowService({
      store,
      invoker: recording(realInvoker, sent),
      clock: { now: () => Date.UTC(2026, 11, 7, HOUR, 30) },
      random: { random: () => 0.99, uuid: () => crypto.randomUUID().replace(/-/g, '') },
    });
    const { runId, timeKey } = await runner.run(WF, JSON.stringify({ request: 'daily' }));
    expect(timeKey).toBe(String(HOUR));
    expect(sent).toHaveLength(1);
    const first = JSON.parse(sent[0]!.message) as { workflow_placement_decision: RunDecision };
    expect(first.workflow_placement_decision.format).toBe(RUN_DECISION_FORMAT);
    expect(first.workflow_placement_decision.time_key).toBe(String(HOUR));
    expect(utf8Length(sent[0]!.message)).toBeLessThan(64 * 1024);

    // Deliver every accepted invoke to the handler of the function copy it addressed.
    const workflow = wideWorkflowModule(wideWorkflowFunctions(100));
    const handlers = new Map<string, LambdaHandler>();
    const handlerFor = (region: string, fn: string): LambdaHandler => {
      const key = `${region}/${fn}`;
      if (!handlers.has(key)) {
        const env = { AWS_REGION: region, CARIBOU_WORKFLOW_FUNCTION: fn, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_AWS_ENDPOINT: endpoint };
        handlers.set(key, createLambdaHandler(workflow, { env, wrapInvoker: (real) => recording(real, sent), log: () => undefined }));
      }
      return handlers.get(key)!;
    };
    const plan = staged.time_keys_to_staging_area_data[String(HOUR)]!;
    const ran: Array<{ instance: string; region: string }> = [];
    for (let next = 0; next < sent.length; next++) {
      const { region, identifier, message } = sent[next]!;
      const envelope = JSON.parse(message) as { workflow_placement_decision: unknown };
      const instance = RunPlacement.fromMessage(envelope.workflow_placement_decision).currentInstance;
      // The address the decision gave is the copy in the region this hour's plan names.
      expect(region, instance).toEqual(plan[instance]!.provider_region);
      // Runs reach each copy through its release alias.
      const physical = identifier.split(':function:')[1]!.replace(/:caribou$/, '');
      expect(identifier).toBe(`arn:aws:lambda:${region.region}:${account}:function:${physical}:caribou`);
      const fn = functionNameOfPhysicalName(physical);
      await handlerFor(region.region, fn)(envelope, { awsRequestId: `request-${next}` });
      ran.push({ instance, region: region.region });
    }
    expect(ran).toHaveLength(100);
    expect(new Set(ran.map((r) => r.instance)).size).toBe(100);
    expect(ran.filter((r) => r.region === MOVED.region).map((r) => r.instance)).toEqual([instances[HOUR + 1]]);
    expect(JSON.parse(sent.at(-1)!.message).workflow_placement_decision.run_id).toBe(runId);
  }, 900_000);
});
