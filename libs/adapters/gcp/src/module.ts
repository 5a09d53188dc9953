import { ContainerModule } from 'inversify';
import { token, TOKENS } from '@caribou/ports';
import { GcpClients } from './config';
import { CloudRunArtifactCopier } from './control/artifact-copier';
import { FirestoreAdminSetup } from './control/firestore-admin';
import { PubSubFailureDestinations } from './control/failure-destinations';
import { CloudRunFunctionPlatform } from './control/function-platform';
import { ServiceAccountIdentityManager } from './control/identity-manager';
import { CloudLoggingLogSource } from './control/log-source';
import { GoogleRestClient } from './control/rest-client';
import { gcpConfigFromEnv } from './env';
import { FirestoreKeyValueStore } from './firestore/key-value-store';
import { FirestoreSyncStoreProvider } from './firestore/sync-store';
import { PubSubFunctionInvoker } from './pubsub/function-invoker';
import { PubSubFunctionTopics } from './pubsub/function-topics';

/** What only the gcp provider has: its clients (close them when the command ends), the REST client of the control plane, the push transport's admin side. */
export const GCP_TOKENS = {
  Clients: token<GcpClients>('gcp.Clients'),
  Rest: token<GoogleRestClient>('gcp.Rest'),
  FunctionTopics: token<PubSubFunctionTopics>('gcp.FunctionTopics'),
  Platform: token<CloudRunFunctionPlatform>('gcp.Platform'),
  /** Firestore database and TTL setup; unbound with the Firestore emulator alone (it needs none). */
  FirestoreSetup: token<FirestoreAdminSetup>('gcp.FirestoreSetup'),
  Identity: token<ServiceAccountIdentityManager>('gcp.Identity'),
} as const;

export interface GcpModuleOptions {
  /**
   * CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT), CARIBOU_SYSTEM_REGION (default us-west1),
   * FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST and CARIBOU_GCP_API_ENDPOINT; credentials
   * as Google's Application Default Credentials find them.
   */
  env: Record<string, string | undefined>;
}

/**
 * Every port on Google Cloud: the data plane (framework tables and fan-in state on Firestore,
 * function-to-function transport on Pub/Sub push) and the control plane (Cloud Run functions,
 * IAM service accounts, Cloud Logging, the Pub/Sub dead-letter topic). One set of clients per process.
 */
export function gcpModule(options: GcpModuleOptions): ContainerModule {
  const config = gcpConfigFromEnv(options.env);
  return new ContainerModule(({ bind }) => {
    bind(GCP_TOKENS.Clients)
      .toDynamicValue(() => new GcpClients(config))
      .inSingletonScope();
    bind(GCP_TOKENS.Rest)
      .toDynamicValue((ctx) => new GoogleRestClient({ ...ctx.get(GCP_TOKENS.Clients).restEndpoints, sleeper: ctx.get(TOKENS.Sleeper) }))
      .inSingletonScope();
    // Google Cloud (or the control-plane fake) needs each region's database created; the emulator creates them on first use.
    const administered = config.apiEndpoint !== undefined || config.firestoreEmulatorHost === undefined;
    if (administered) {
      bind(GCP_TOKENS.FirestoreSetup)
        .toDynamicValue((ctx) => new FirestoreAdminSetup(ctx.get(GCP_TOKENS.Clients).projectId, ctx.get(GCP_TOKENS.Rest)))
        .inSingletonScope();
    }
    bind(TOKENS.KeyValueStore)
      .toDynamicValue((ctx) => {
        const clients = ctx.get(GCP_TOKENS.Clients);
        const setup = ctx.get(GCP_TOKENS.FirestoreSetup, { optional: true });
        return new FirestoreKeyValueStore(clients, setup ? { ensureDatabase: () => setup.ensureDatabase(clients.systemRegion, clients.databaseId()) } : {});
      })
      .inSingletonScope();
    bind(TOKENS.SyncStoreProvider)
      .toDynamicValue((ctx) => new FirestoreSyncStoreProvider(ctx.get(GCP_TOKENS.Clients), ctx.get(TOKENS.Clock), ctx.get(GCP_TOKENS.FirestoreSetup, { optional: true })))
      .inSingletonScope();
    bind(TOKENS.FunctionInvoker)
      .toDynamicValue((ctx) => new PubSubFunctionInvoker(ctx.get(GCP_TOKENS.Clients)))
      .inSingletonScope();
    bind(GCP_TOKENS.FunctionTopics)
      .toDynamicValue((ctx) => new PubSubFunctionTopics(ctx.get(GCP_TOKENS.Clients)))
      .inSingletonScope();
    bind(GCP_TOKENS.Platform)
      .toDynamicValue((ctx) => new CloudRunFunctionPlatform(ctx.get(GCP_TOKENS.Clients), ctx.get(GCP_TOKENS.Rest), ctx.get(GCP_TOKENS.FunctionTopics), ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.FunctionPlatform).toService(GCP_TOKENS.Platform);
    bind(TOKENS.ArtifactCopier)
      .toDynamicValue((ctx) => new CloudRunArtifactCopier(ctx.get(GCP_TOKENS.Clients), ctx.get(GCP_TOKENS.Rest)))
      .inSingletonScope();
    bind(GCP_TOKENS.Identity)
      .toDynamicValue((ctx) => new ServiceAccountIdentityManager(ctx.get(GCP_TOKENS.Clients), ctx.get(GCP_TOKENS.Rest)))
      .inSingletonScope();
    bind(TOKENS.IdentityManager).toService(GCP_TOKENS.Identity);
    bind(TOKENS.LogSource)
      .toDynamicValue((ctx) => new CloudLoggingLogSource(ctx.get(GCP_TOKENS.Clients), ctx.get(GCP_TOKENS.Rest)))
      .inSingletonScope();
    bind(TOKENS.FailureDestinations)
      .toDynamicValue((ctx) => {
        const platform = ctx.get(GCP_TOKENS.Platform);
        const identity = ctx.get(GCP_TOKENS.Identity);
        // Against Google Cloud (or the fake of its control plane); the emulator alone checks no permission.
        const grantAgent = config.apiEndpoint !== undefined || config.pubsubEmulatorHost === undefined ? () => identity.ensurePubSubAgentRoles() : undefined;
        return new PubSubFailureDestinations(ctx.get(GCP_TOKENS.FunctionTopics), ctx.get(GCP_TOKENS.Rest), () => platform.copies(), grantAgent);
      })
      .inSingletonScope();
  });
}

/** Packaging for `deploy` on Google Cloud: the bundler's zip (Cloud Run's build installs the Google packages). CLI only. */
export function gcpPackagingModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PackageBuilder).toService(TOKENS.FunctionBundler);
  });
}
