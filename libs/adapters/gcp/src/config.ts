import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { CaribouError, GCP_SYSTEM_REGION } from '@caribou/domain-common';

/** Where the framework tables live unless configured: Oregon, beside the AWS default us-west-2 (the planner's gcp system region too). */
export const DEFAULT_GCP_SYSTEM_REGION = GCP_SYSTEM_REGION;
/** The project the emulators are used with when none is configured (`demo-` projects never reach Google). */
export const EMULATOR_PROJECT_ID = 'demo-caribou';
/** Firestore databases are named `<prefix>-<region>`: one database per region the workflow uses. */
export const DEFAULT_DATABASE_PREFIX = 'caribou';

export interface GcpAdapterConfig {
  /** Google Cloud project id; optional with the emulators (then `demo-caribou`). */
  projectId?: string;
  /** Region of the framework tables (the placement decision): its Firestore database. */
  systemRegion?: string;
  /** `host:port` of the Firestore emulator. */
  firestoreEmulatorHost?: string;
  /** `host:port` of the Pub/Sub emulator. */
  pubsubEmulatorHost?: string;
  databasePrefix?: string;
  /**
   * One base URL serving the control-plane REST APIs (Cloud Functions, IAM, Resource Manager,
   * Cloud Logging) instead of Google's hosts: a local fake in tests. No credentials are sent to it.
   */
  apiEndpoint?: string;
}

/** Firestore database ids: 4–63 characters, lowercase letters, digits and hyphens, starting with a letter. */
const DATABASE_ID = /^[a-z][a-z0-9-]{2,61}[a-z0-9]$/;
/** Google Cloud region codes such as `us-east4`, `northamerica-northeast1`. */
const GCP_REGION = /^[a-z]+(-[a-z]+)*\d+$/;

export function checkGcpRegion(region: string, where = 'region'): string {
  if (!GCP_REGION.test(region)) {
    throw new CaribouError(`${where}: ${JSON.stringify(region)} is not a Google Cloud region code; use one like us-east4 or northamerica-northeast1`);
  }
  return region;
}

/**
 * Lazily created Google Cloud clients sharing one configuration: a Firestore client per
 * regional database and one Pub/Sub client (topics are global resources).
 */
export class GcpClients {
  readonly projectId: string;
  readonly systemRegion: string;
  private readonly databasePrefix: string;
  private readonly databases = new Map<string, Firestore>();
  private pubsubClient: PubSub | undefined;

  constructor(private readonly config: GcpAdapterConfig = {}) {
    const emulated = config.firestoreEmulatorHost !== undefined || config.pubsubEmulatorHost !== undefined || config.apiEndpoint !== undefined;
    const projectId = config.projectId ?? (emulated ? EMULATOR_PROJECT_ID : undefined);
    if (!projectId) {
      throw new CaribouError('No Google Cloud project configured; set CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT) to the project id');
    }
    this.projectId = projectId;
    this.systemRegion = checkGcpRegion(config.systemRegion ?? DEFAULT_GCP_SYSTEM_REGION, 'system region');
    this.databasePrefix = config.databasePrefix ?? DEFAULT_DATABASE_PREFIX;
  }

  /** The Firestore database holding a region's data (framework tables in the system region, fan-in state everywhere). */
  databaseId(region: string = this.systemRegion): string {
    const id = `${this.databasePrefix}-${checkGcpRegion(region)}`;
    if (!DATABASE_ID.test(id)) {
      throw new CaribouError(`Firestore database id ${id} is not valid (4–63 lowercase letters, digits, hyphens); choose a shorter database prefix`);
    }
    return id;
  }

  firestore(region: string = this.systemRegion): Firestore {
    const databaseId = this.databaseId(region);
    let client = this.databases.get(databaseId);
    if (!client) {
      const emulator = this.config.firestoreEmulatorHost;
      client = new Firestore({
        projectId: this.projectId,
        databaseId,
        ...(emulator ? { host: emulator, ssl: false } : {}),
        ignoreUndefinedProperties: false,
      });
      this.databases.set(databaseId, client);
    }
    return client;
  }

  pubsub(): PubSub {
    const emulator = this.config.pubsubEmulatorHost;
    this.pubsubClient ??= new PubSub({ projectId: this.projectId, ...(emulator ? { apiEndpoint: emulator, emulatorMode: true } : {}) });
    return this.pubsubClient;
  }

  /** The control plane's REST endpoints: Google's hosts, or the configured fake (and Pub/Sub's emulator for its REST calls). */
  get restEndpoints(): { apiEndpoint?: string; endpoints?: { pubsub: string } } {
    return {
      ...(this.config.apiEndpoint ? { apiEndpoint: this.config.apiEndpoint } : {}),
      ...(this.config.pubsubEmulatorHost ? { endpoints: { pubsub: `http://${this.config.pubsubEmulatorHost}` } } : {}),
    };
  }

  /** `projects/<project>` */
  get projectName(): string {
    return `projects/${this.projectId}`;
  }

  async close(): Promise<void> {
    const firestores = [...this.databases.values()];
    this.databases.clear();
    const pubsub = this.pubsubClient;
    this.pubsubClient = undefined;
    await Promise.all([...firestores.map((client) => client.terminate()), pubsub?.close()]);
  }
}
