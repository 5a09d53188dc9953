import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CaribouError } from '@caribou/domain-common';
import type { CaribouWorkflow } from '@caribou/sdk';
import { bindPlatform, createPlatformInvocation, systemClock, type PlatformBinding, type PlatformEntryOptions } from '@caribou/sdk/runtime';
import { AwsClientCache } from '../client-cache';
import { DynamoDbKeyValueStore } from '../dynamodb/key-value-store';
import { DynamoDbExecutionMarkerProvider } from '../dynamodb/execution-markers';
import { DynamoDbSyncStoreProvider } from '../dynamodb/sync-store';
import { LambdaFunctionInvoker } from '../lambda/function-invoker';
import { awsConfigFromEnv } from '../env';

/** The part of the Lambda context object the runtime reads. */
export interface LambdaContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

export type LambdaHandlerOptions = PlatformEntryOptions;

/**
 * Only the DynamoDB and Lambda clients: a function's bundle then loads two SDK clients at a
 * cold start instead of every client the deploy side uses.
 */
class FunctionRuntimeClients extends AwsClientCache {
  dynamodb(region: string = this.systemRegion): DynamoDBClient {
    return this.client('dynamodb', region, (r) => new DynamoDBClient(this.clientOptions(r)));
  }

  lambda(region: string = this.systemRegion): LambdaClient {
    return this.client('lambda', region, (r) => new LambdaClient(this.clientOptions(r)));
  }
}

function platformServices(options: LambdaHandlerOptions): PlatformBinding {
  const env = options.env ?? process.env;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new CaribouError('AWS_REGION is not set; the Caribou Lambda handler runs inside AWS Lambda, which sets it (set it by hand when invoking it elsewhere)');
  return bindPlatform(
    env,
    () => {
      const clients = new FunctionRuntimeClients(awsConfigFromEnv(env));
      return {
        region: { provider: 'aws', region },
        store: new DynamoDbKeyValueStore(clients),
        syncStores: new DynamoDbSyncStoreProvider(clients, systemClock),
        executionMarkers: new DynamoDbExecutionMarkerProvider(clients, systemClock),
        invoker: new LambdaFunctionInvoker(clients),
      };
    },
    options,
  );
}

/**
 * The Lambda handler of every function of a workflow: `CARIBOU_WORKFLOW_FUNCTION` (set by
 * the platform at deploy) names the workflow function to run. SDK clients and stores are
 * created on the first invocation and kept for the warm container's later invocations;
 * everything about one invocation lives inside `handleInvocation`.
 */
export function createLambdaHandler(workflow: CaribouWorkflow, options: LambdaHandlerOptions = {}): LambdaHandler {
  const invoke = createPlatformInvocation(workflow, () => platformServices(options));
  return (event, context) => invoke(event, context?.awsRequestId ?? randomUUID(), context?.getRemainingTimeInMillis?.bind(context));
}
