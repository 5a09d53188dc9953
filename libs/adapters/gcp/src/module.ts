import { ContainerModule } from 'inversify';
import { token, TOKENS } from '@caribou/ports';
import { GcpClients } from './config';
import { gcpConfigFromEnv } from './env';
import { FirestoreKeyValueStore } from './firestore/key-value-store';
import { FirestoreSyncStoreProvider } from './firestore/sync-store';
import { PubSubFunctionInvoker } from './pubsub/function-invoker';
import { PubSubFunctionTopics } from './pubsub/function-topics';

/** What only the gcp provider has: its clients (close them when the command ends) and the push transport's admin side. */
export const GCP_TOKENS = {
  Clients: token<GcpClients>('gcp.Clients'),
  FunctionTopics: token<PubSubFunctionTopics>('gcp.FunctionTopics'),
} as const;

export interface GcpModuleOptions {
  /**
   * CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT), CARIBOU_SYSTEM_REGION (default us-west1),
   * FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST; credentials as Google's Application
   * Default Credentials find them.
   */
  env: Record<string, string | undefined>;
}

/**
 * The Google Cloud data plane: framework tables and fan-in state on Firestore, function-to-
 * function transport on Pub/Sub push. One set of clients per process. The control plane
 * (FunctionPlatform on Cloud Run functions, IdentityManager, LogSource, artifact copies)
 * is not bound here yet, so no command deploys to gcp (docs/gcp.md).
 */
export function gcpModule(options: GcpModuleOptions): ContainerModule {
  const config = gcpConfigFromEnv(options.env);
  return new ContainerModule(({ bind }) => {
    bind(GCP_TOKENS.Clients)
      .toDynamicValue(() => new GcpClients(config))
      .inSingletonScope();
    bind(TOKENS.KeyValueStore)
      .toDynamicValue((ctx) => new FirestoreKeyValueStore(ctx.get(GCP_TOKENS.Clients)))
      .inSingletonScope();
    bind(TOKENS.SyncStoreProvider)
      .toDynamicValue((ctx) => new FirestoreSyncStoreProvider(ctx.get(GCP_TOKENS.Clients), ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.FunctionInvoker)
      .toDynamicValue((ctx) => new PubSubFunctionInvoker(ctx.get(GCP_TOKENS.Clients)))
      .inSingletonScope();
    bind(GCP_TOKENS.FunctionTopics)
      .toDynamicValue((ctx) => new PubSubFunctionTopics(ctx.get(GCP_TOKENS.Clients)))
      .inSingletonScope();
  });
}
