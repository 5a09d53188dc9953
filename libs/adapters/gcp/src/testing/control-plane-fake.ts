/**
 * Test support: a local HTTP server implementing the Google Cloud control-plane REST calls the
 * gcp provider makes, since Google ships no emulator for them. Written from Google's API
 * reference pages (request and response shapes, validation rules, error bodies):
 *
 * - Cloud Functions v2, `projects.locations.functions` create / get / patch / delete / list /
 *   generateUploadUrl / generateDownloadUrl and `projects.locations.operations.get`:
 *   https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions
 *   https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions/create
 *   https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions/generateUploadUrl
 *   https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.operations/get
 *   Function ids: https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions#Function
 *   ("must match `[a-z]([-a-z0-9]*[a-z0-9])?`", at most 63 characters);
 *   runtimes: https://cloud.google.com/run/docs/runtimes/function-runtimes (nodejs20 is
 *   decommissioned since 2026-10-30, so only nodejs22 and nodejs24 are accepted);
 *   the upload URL takes a `PUT` of the zip with `Content-Type: application/zip`
 *   (https://cloud.google.com/functions/docs/deploy#from-source-api).
 * - IAM v1 `projects.serviceAccounts` create / get / delete:
 *   https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create
 *   (account ids 6–30 characters `[a-z]([-a-z0-9]*[a-z0-9])`; 409 when the id exists).
 * - Resource Manager v1 `projects.get` (the project number) and `projects.getIamPolicy` /
 *   `projects.setIamPolicy` (role bindings of the
 *   project, read-modify-write guarded by the etag):
 *   https://cloud.google.com/resource-manager/reference/rest/v1/projects/setIamPolicy
 * - Cloud Logging v2 `entries.list` (paginated with pageToken) and `entries.write`:
 *   https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list
 *   https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/write
 *   (the filter subset of https://cloud.google.com/logging/docs/view/logging-query-language
 *   that the log source writes: comparisons joined by AND).
 * - Firestore Admin v1 `projects.databases` create / get and
 *   `projects.databases.collectionGroups.fields` get / patch (TTL policies):
 *   https://cloud.google.com/firestore/docs/reference/rest/v1/projects.databases/create
 *   https://cloud.google.com/firestore/docs/reference/rest/v1/projects.databases.collectionGroups.fields/patch
 *   (database ids 4–63 characters `[a-z][a-z0-9-]*[a-z0-9]`, a location is required).
 * - Errors: `{"error": {"code", "message", "status"}}` as in
 *   https://cloud.google.com/apis/design/errors#http_mapping.
 *
 * All APIs are served under one base URL (their own hosts differ on Google Cloud). Each
 * function's `serviceConfig.uri` points back at this server (`/run/<region>/<id>`), which
 * answers 200 to whatever is pushed there and records it: Pub/Sub's push reaches "the
 * function" without running it. Operations finish at once but report `done: false` until
 * their first `operations.get`, so clients must poll as they must on Google.
 */
import { randomUUID, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** A function as `functions.get` returns it (the fields the fake keeps). */
export interface FakeFunction {
  name: string;
  buildConfig: { runtime: string; entryPoint: string; source: { storageSource: { bucket: string; object: string } }; environmentVariables?: Record<string, string> };
  serviceConfig: { availableMemory?: string; timeoutSeconds?: number; environmentVariables?: Record<string, string>; serviceAccountEmail?: string; uri: string; service: string };
  state: 'ACTIVE';
  environment: 'GEN_2';
  url: string;
  updateTime: string;
  labels?: Record<string, string>;
}

export interface FakeServiceAccount {
  name: string;
  email: string;
  projectId: string;
  uniqueId: string;
  displayName?: string;
  description?: string;
}

export interface FakeLogEntry {
  logName: string;
  resource: { type: string; labels: Record<string, string> };
  timestamp: string;
  textPayload?: string;
  insertId: string;
}

/** One request the fake received from a push subscription at a function's URL. */
export interface FakePush {
  region: string;
  functionId: string;
  body: string;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const FUNCTION_ID = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;
const SUPPORTED_RUNTIMES = ['nodejs22', 'nodejs24'];
/** Memory in the forms Cloud Run accepts: `256M`, `512Mi`, `1G`, `2Gi`. */
const MEMORY = /^(\d+)(M|Mi|G|Gi)$/;
const LOG_PAGE_MAX = 1000;

const invalid = (message: string): ApiError => new ApiError(400, 'INVALID_ARGUMENT', message);
const notFound = (message: string): ApiError => new ApiError(404, 'NOT_FOUND', message);

export class GoogleControlPlaneFake {
  readonly functions = new Map<string, FakeFunction>();
  readonly serviceAccounts = new Map<string, FakeServiceAccount>();
  readonly logEntries: FakeLogEntry[] = [];
  /** Firestore databases by name (`projects/<p>/databases/<id>`) with their location. */
  readonly databases = new Map<string, { name: string; locationId: string; type: string }>();
  /** Fields holding a TTL policy (`projects/<p>/databases/<db>/collectionGroups/<cg>/fields/<f>`). */
  readonly ttlFields = new Set<string>();
  readonly pushes: FakePush[] = [];
  /** Uploaded archives by `bucket/object`. */
  readonly uploads = new Map<string, Buffer>();
  private readonly pendingUploads = new Set<string>();
  private readonly operations = new Map<string, { polled: boolean; body: Json }>();
  private bindings: Array<{ role: string; members: string[] }> = [];
  private etagVersion = 1;
  private server: Server | undefined;
  private base = '';
  /** Every request line (`METHOD path`) in order, for tests that check what was called. */
  readonly requests: string[] = [];

  /** Starts listening on a free loopback port; returns the base URL (`http://127.0.0.1:<port>`). */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  get url(): string {
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Function resource names, sorted: the inventory of every region. */
  functionNames(): string[] {
    return [...this.functions.keys()].sort();
  }

  /** The project's role bindings as `setIamPolicy` last stored them. */
  policyBindings(): Array<{ role: string; members: string[] }> {
    return structuredClone(this.bindings);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.base);
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    try {
      const object = /^\/objects\/(.+)$/.exec(decodeURIComponent(url.pathname));
      if (object && method === 'GET') {
        // The signed download URL of generateDownloadUrl: the archive's bytes.
        const bytes = this.uploads.get(object[1]!);
        if (!bytes) throw notFound(`No such object: ${object[1]}`);
        res.writeHead(200, { 'content-type': 'application/zip' }).end(bytes);
        return;
      }
      const answer = await this.route(method, url, body, req);
      if (answer === undefined) {
        res.writeHead(200).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      res.writeHead(apiError.code, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: apiError.code, message: apiError.message, status: apiError.status } }));
    }
  }

  private route(method: string, url: URL, body: Buffer, req: IncomingMessage): Json | undefined | Promise<Json | undefined> {
    const path = decodeURIComponent(url.pathname);
    let match: RegExpExecArray | null;
    if ((match = /^\/upload\/(.+)$/.exec(path)) && method === 'PUT') return this.upload(match[1]!, body, req);
    if ((match = /^\/run\/([^/]+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      this.pushes.push({ region: match[1]!, functionId: match[2]!, body: body.toString('utf8') });
      return {};
    }
    if ((match = /^\/v2\/projects\/([^/]+)\/locations\/([^/]+)\/functions:generateUploadUrl$/.exec(path)) && method === 'POST') {
      return this.generateUploadUrl(match[1]!, match[2]!);
    }
    if ((match = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/functions\/[^/:]+):generateDownloadUrl$/.exec(path)) && method === 'POST') {
      return this.generateDownloadUrl(match[1]!);
    }
    if ((match = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+)\/functions$/.exec(path))) {
      if (method === 'POST') return this.createFunction(match[1]!, url.searchParams.get('functionId'), parseJson(body));
      if (method === 'GET') return this.listFunctions(match[1]!, url.searchParams);
    }
    if ((match = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/functions\/[^/:]+)$/.exec(path))) {
      if (method === 'GET') return this.getFunction(match[1]!);
      if (method === 'PATCH') return this.patchFunction(match[1]!, url.searchParams.get('updateMask'), parseJson(body));
      if (method === 'DELETE') return this.deleteFunction(match[1]!);
    }
    if ((match = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/.exec(path)) && method === 'GET') return this.getOperation(match[1]!);
    if ((match = /^\/v1\/projects\/([^/]+)\/serviceAccounts$/.exec(path)) && method === 'POST') return this.createServiceAccount(match[1]!, parseJson(body));
    if ((match = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+)$/.exec(path))) {
      if (method === 'GET') return this.getServiceAccount(match[2]!);
      if (method === 'DELETE') return this.deleteServiceAccount(match[2]!);
    }
    if ((match = /^\/v1\/projects\/([^/:]+)$/.exec(path)) && method === 'GET') return this.getProject(match[1]!);
    if ((match = /^\/v1\/projects\/([^/]+):getIamPolicy$/.exec(path)) && method === 'POST') return this.getIamPolicy();
    if ((match = /^\/v1\/projects\/([^/]+):setIamPolicy$/.exec(path)) && method === 'POST') return this.setIamPolicy(parseJson(body));
    if ((match = /^\/v1\/projects\/([^/]+)\/databases$/.exec(path)) && method === 'POST') return this.createDatabase(match[1]!, url.searchParams.get('databaseId'), parseJson(body));
    if ((match = /^\/v1\/(projects\/[^/]+\/databases\/[^/]+)$/.exec(path)) && method === 'GET') return this.getDatabase(match[1]!);
    if ((match = /^\/v1\/((projects\/[^/]+\/databases\/[^/]+)\/collectionGroups\/[^/]+\/fields\/[^/]+)$/.exec(path))) {
      if (method === 'GET') return this.getField(match[2]!, match[1]!);
      if (method === 'PATCH') return this.patchField(match[2]!, match[1]!, url.searchParams.get('updateMask'), parseJson(body));
    }
    if ((match = /^\/v1\/(projects\/[^/]+\/databases\/[^/]+\/operations\/[^/]+)$/.exec(path)) && method === 'GET') return this.getOperation(match[1]!);
    if (path === '/v2/entries:list' && method === 'POST') return this.listEntries(parseJson(body));
    if (path === '/v2/entries:write' && method === 'POST') return this.writeEntries(parseJson(body));
    throw notFound(`The requested URL ${method} ${path} was not found on this server.`);
  }

  // Cloud Functions v2

  private generateUploadUrl(project: string, region: string): Json {
    const bucket = `gcf-v2-uploads-${project}-${region}`;
    const object = `${randomUUID()}.zip`;
    this.pendingUploads.add(`${bucket}/${object}`);
    return { uploadUrl: `${this.base}/upload/${bucket}/${object}`, storageSource: { bucket, object } };
  }

  private upload(key: string, body: Buffer, req: IncomingMessage): Json {
    if (!this.pendingUploads.has(key)) throw new ApiError(403, 'PERMISSION_DENIED', `No signed upload URL was issued for ${key}`);
    if (req.headers['content-type'] !== 'application/zip') throw invalid('The upload must be sent with Content-Type: application/zip');
    // A zip starts with a local file header (PK\x03\x04) or, empty, an end-of-central-directory record (PK\x05\x06).
    if (body.length < 4 || body[0] !== 0x50 || body[1] !== 0x4b) throw invalid('The uploaded file is not a zip archive');
    this.pendingUploads.delete(key);
    this.uploads.set(key, body);
    return {};
  }

  private generateDownloadUrl(name: string): Json {
    const fn = this.requireFunction(name);
    const { bucket, object } = fn.buildConfig.source.storageSource;
    return { downloadUrl: `${this.base}/objects/${bucket}/${object}` };
  }

  private checkFunction(name: string, fn: Json): FakeFunction {
    const build = (fn.buildConfig ?? undefined) as Json | undefined;
    if (!build) throw invalid('Invalid function: buildConfig is required');
    const runtime = build.runtime;
    if (typeof runtime !== 'string' || runtime === '') throw invalid('Invalid function: buildConfig.runtime is required');
    if (!SUPPORTED_RUNTIMES.includes(runtime)) {
      throw invalid(`Invalid value specified for runtime: ${runtime}. Supported runtimes for new functions: ${SUPPORTED_RUNTIMES.join(', ')}`);
    }
    if (typeof build.entryPoint !== 'string' || build.entryPoint === '') throw invalid('Invalid function: buildConfig.entryPoint is required');
    const storage = ((build.source as Json | undefined)?.storageSource ?? undefined) as { bucket?: unknown; object?: unknown } | undefined;
    if (!storage || typeof storage.bucket !== 'string' || typeof storage.object !== 'string') throw invalid('Invalid function: buildConfig.source.storageSource.bucket and .object are required');
    if (!this.uploads.has(`${storage.bucket}/${storage.object}`)) throw invalid(`Invalid source: gs://${storage.bucket}/${storage.object} does not exist; upload the archive to the generated upload URL first`);
    const service = (fn.serviceConfig ?? {}) as Json;
    const memory = service.availableMemory;
    if (memory !== undefined) {
      const parsed = typeof memory === 'string' ? MEMORY.exec(memory) : null;
      const mib = parsed ? Number(parsed[1]) * (parsed[2]!.startsWith('G') ? 1024 : 1) : NaN;
      if (!parsed || mib < 128 || mib > 32 * 1024) throw invalid(`Invalid value specified for available memory: ${String(memory)} (128Mi to 32Gi, e.g. 256Mi)`);
    }
    const timeout = service.timeoutSeconds;
    if (timeout !== undefined && (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > 3600)) {
      throw invalid(`Invalid value specified for timeout: ${String(timeout)} (1 to 3600 seconds for HTTP functions)`);
    }
    const account = service.serviceAccountEmail;
    if (account !== undefined && !this.serviceAccounts.has(String(account))) {
      throw invalid(`Invalid function service account requested: ${String(account)}. Please visit https://cloud.google.com/functions/docs/troubleshooting for in-depth troubleshooting documentation.`);
    }
    const [, , , region, , id] = name.split('/');
    const uri = `${this.base}/run/${region}/${id}`;
    return {
      name,
      buildConfig: {
        runtime,
        entryPoint: build.entryPoint,
        source: { storageSource: { bucket: storage.bucket, object: storage.object } },
        ...(build.environmentVariables ? { environmentVariables: build.environmentVariables as Record<string, string> } : {}),
      },
      serviceConfig: {
        ...(memory !== undefined ? { availableMemory: memory as string } : { availableMemory: '256M' }),
        timeoutSeconds: (timeout as number | undefined) ?? 60,
        ...(service.environmentVariables ? { environmentVariables: service.environmentVariables as Record<string, string> } : {}),
        ...(account !== undefined ? { serviceAccountEmail: account as string } : {}),
        uri,
        service: `projects/${name.split('/')[1]}/locations/${region}/services/${id}`,
      },
      state: 'ACTIVE',
      environment: 'GEN_2',
      url: uri,
      updateTime: new Date().toISOString(),
      ...(fn.labels ? { labels: fn.labels as Record<string, string> } : {}),
    };
  }

  private createFunction(parent: string, functionId: string | null, fn: Json): Json {
    if (!functionId) throw invalid('functionId is required');
    if (functionId.length > 63 || !FUNCTION_ID.test(functionId)) {
      throw invalid(`Invalid function id ${functionId}: must match [a-z]([-a-z0-9]*[a-z0-9])? and be at most 63 characters`);
    }
    const name = `${parent}/functions/${functionId}`;
    if (this.functions.has(name)) throw new ApiError(409, 'ALREADY_EXISTS', `Function ${functionId} in region ${parent.split('/')[3]} in project ${parent.split('/')[1]} already exists`);
    const created = this.checkFunction(name, fn);
    this.functions.set(name, created);
    return this.operation(parent, 'create', name, created);
  }

  private requireFunction(name: string): FakeFunction {
    const fn = this.functions.get(name);
    if (!fn) throw notFound(`Resource '${name}' was not found`);
    return fn;
  }

  private getFunction(name: string): Json {
    return structuredClone(this.requireFunction(name)) as unknown as Json;
  }

  private listFunctions(parent: string, params: URLSearchParams): Json {
    const all = [...this.functions.values()].filter((fn) => parent.endsWith('/-') ? fn.name.startsWith(parent.slice(0, -1)) : fn.name.startsWith(`${parent}/functions/`));
    const pageSize = Math.min(Number(params.get('pageSize') ?? 100) || 100, 1000);
    const start = Number(params.get('pageToken') ?? 0);
    const page = all.slice(start, start + pageSize);
    return { functions: structuredClone(page), ...(start + pageSize < all.length ? { nextPageToken: String(start + pageSize) } : {}) };
  }

  private patchFunction(name: string, updateMask: string | null, patch: Json): Json {
    const current = this.requireFunction(name);
    // Without an update mask every field in the request replaces the function's (the reference says so).
    const merged: Json = structuredClone(current) as unknown as Json;
    const paths = updateMask ? updateMask.split(',').map((p) => p.trim()) : Object.keys(patch);
    for (const path of paths) {
      const keys = path.split('.');
      let source: unknown = patch;
      for (const key of keys) source = (source as Json | undefined)?.[key];
      let target = merged;
      for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Json;
      if (source === undefined) delete target[keys.at(-1)!];
      else target[keys.at(-1)!] = source;
    }
    const updated = this.checkFunction(name, merged);
    this.functions.set(name, updated);
    return this.operation(name.split('/functions/')[0]!, 'update', name, updated);
  }

  private deleteFunction(name: string): Json {
    this.requireFunction(name);
    this.functions.delete(name);
    return this.operation(name.split('/functions/')[0]!, 'delete', name, undefined);
  }

  private operation(parent: string, verb: string, target: string, response: FakeFunction | Json | undefined): Json {
    const name = `${parent}/operations/operation-${Date.now()}-${randomUUID().slice(0, 8)}`;
    const body: Json = {
      name,
      metadata: { '@type': 'type.googleapis.com/google.cloud.functions.v2.OperationMetadata', target, verb, createTime: new Date().toISOString() },
      done: true,
      response: response ? { '@type': 'type.googleapis.com/google.cloud.functions.v2.Function', ...structuredClone(response) } : { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    };
    this.operations.set(name, { polled: false, body });
    return { name, metadata: body.metadata, done: false };
  }

  private getOperation(name: string): Json {
    const operation = this.operations.get(name);
    if (!operation) throw notFound(`Operation ${name} not found`);
    operation.polled = true;
    return operation.body;
  }

  // Firestore Admin

  private createDatabase(project: string, databaseId: string | null, request: Json): Json {
    if (!databaseId) throw invalid('databaseId is required');
    if (!/^[a-z][a-z0-9-]{2,61}[a-z0-9]$/.test(databaseId)) throw invalid(`Database ID '${databaseId}' is not valid: 4–63 characters of lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen`);
    if (typeof request.locationId !== 'string' || request.locationId === '') throw invalid('locationId is required');
    const type = request.type ?? 'FIRESTORE_NATIVE';
    if (type !== 'FIRESTORE_NATIVE' && type !== 'DATASTORE_MODE') throw invalid(`Invalid database type ${String(type)}`);
    const name = `projects/${project}/databases/${databaseId}`;
    if (this.databases.has(name)) throw new ApiError(409, 'ALREADY_EXISTS', `Database already exists. Please use another database_id`);
    const database = { name, locationId: request.locationId, type: type as string };
    this.databases.set(name, database);
    return this.operation(name, 'create', name, { '@type': 'type.googleapis.com/google.firestore.admin.v1.Database', ...database });
  }

  private getDatabase(name: string): Json {
    const database = this.databases.get(name);
    if (!database) throw notFound(`Project '${name.split('/')[1]}' or database '${name.split('/')[3]}' does not exist.`);
    return { ...database };
  }

  private getField(database: string, name: string): Json {
    this.getDatabase(database);
    return { name, ...(this.ttlFields.has(name) ? { ttlConfig: { state: 'ACTIVE' } } : {}) };
  }

  private patchField(database: string, name: string, updateMask: string | null, request: Json): Json {
    this.getDatabase(database);
    if (updateMask !== 'ttlConfig') throw invalid(`updateMask must be ttlConfig here, got ${String(updateMask)}`);
    if (request.ttlConfig === undefined || request.ttlConfig === null) this.ttlFields.delete(name);
    else this.ttlFields.add(name);
    return this.operation(database, 'update', name, { '@type': 'type.googleapis.com/google.firestore.admin.v1.Field', name, ...(this.ttlFields.has(name) ? { ttlConfig: { state: 'ACTIVE' } } : {}) });
  }

  // IAM service accounts and the project's policy

  private createServiceAccount(project: string, request: Json): Json {
    const accountId = request.accountId;
    if (typeof accountId !== 'string' || accountId === '') throw invalid('accountId is required');
    if (accountId.length < 6 || accountId.length > 30 || !ACCOUNT_ID.test(accountId)) {
      throw invalid(`Invalid account ID ${accountId}: it must be 6 to 30 characters and match [a-z]([-a-z0-9]*[a-z0-9])`);
    }
    const email = `${accountId}@${project}.iam.gserviceaccount.com`;
    if (this.serviceAccounts.has(email)) throw new ApiError(409, 'ALREADY_EXISTS', `Service account ${accountId} already exists within project projects/${project}.`);
    const given = (request.serviceAccount ?? {}) as Json;
    const account: FakeServiceAccount = {
      name: `projects/${project}/serviceAccounts/${email}`,
      email,
      projectId: project,
      uniqueId: BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 15)}`).toString(),
      ...(typeof given.displayName === 'string' ? { displayName: given.displayName } : {}),
      ...(typeof given.description === 'string' ? { description: given.description } : {}),
    };
    this.serviceAccounts.set(email, account);
    return { ...account };
  }

  private getServiceAccount(email: string): Json {
    const account = this.serviceAccounts.get(email);
    if (!account) throw notFound(`Unknown service account`);
    return { ...account };
  }

  private deleteServiceAccount(email: string): Json {
    if (!this.serviceAccounts.delete(email)) throw notFound(`Service account ${email} does not exist.`);
    return {};
  }

  /** Resource Manager `projects.get`: the project number is stable per project id. */
  private getProject(project: string): Json {
    const projectNumber = BigInt(`0x${createHash('sha256').update(project).digest('hex').slice(0, 10)}`).toString();
    return { projectId: project, projectNumber, lifecycleState: 'ACTIVE', name: project };
  }

  private etag(): string {
    return Buffer.from(`v${this.etagVersion}`).toString('base64');
  }

  private getIamPolicy(): Json {
    return { version: 1, etag: this.etag(), bindings: structuredClone(this.bindings) };
  }

  private setIamPolicy(request: Json): Json {
    const policy = request.policy as { etag?: unknown; bindings?: unknown } | undefined;
    if (!policy || typeof policy !== 'object') throw invalid('policy is required');
    if (policy.etag !== undefined && policy.etag !== this.etag()) {
      throw new ApiError(409, 'ABORTED', 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.');
    }
    const bindings = (policy.bindings ?? []) as Array<{ role?: unknown; members?: unknown }>;
    for (const binding of bindings) {
      if (typeof binding.role !== 'string' || !binding.role.startsWith('roles/')) throw invalid(`Role ${String(binding.role)} is not supported; roles are named roles/<name>`);
      if (!Array.isArray(binding.members) || binding.members.length === 0) throw invalid(`Binding for ${binding.role} has no members`);
      for (const member of binding.members as unknown[]) {
        const email = typeof member === 'string' && member.startsWith('serviceAccount:') ? member.slice('serviceAccount:'.length) : undefined;
        if (email === undefined && !(typeof member === 'string' && /^(user|group|domain):/.test(member))) throw invalid(`Invalid member ${String(member)}`);
        // User-managed accounts of the project must exist; Google's service agents (gcp-sa-*) always do.
        if (email !== undefined && /@[a-z][a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(email) && !email.includes('@gcp-sa-') && !this.serviceAccounts.has(email)) {
          throw invalid(`Service account ${email} does not exist.`);
        }
      }
    }
    this.bindings = bindings.map((binding) => ({ role: binding.role as string, members: [...(binding.members as string[])] }));
    this.etagVersion += 1;
    return this.getIamPolicy();
  }

  // Cloud Logging

  private writeEntries(request: Json): Json {
    const entries = request.entries;
    if (!Array.isArray(entries) || entries.length === 0) throw invalid('entries is required');
    for (const entry of entries as Json[]) {
      const logName = (entry.logName ?? request.logName) as string | undefined;
      const resource = (entry.resource ?? request.resource) as FakeLogEntry['resource'] | undefined;
      if (!logName) throw invalid('logName is required');
      if (!resource?.type) throw invalid('resource is required');
      this.logEntries.push({
        logName,
        resource: { type: resource.type, labels: { ...(resource.labels ?? {}) } },
        timestamp: typeof entry.timestamp === 'string' ? entry.timestamp : new Date().toISOString(),
        ...(typeof entry.textPayload === 'string' ? { textPayload: entry.textPayload } : {}),
        insertId: typeof entry.insertId === 'string' ? entry.insertId : randomUUID(),
      });
    }
    return {};
  }

  private listEntries(request: Json): Json {
    const resourceNames = request.resourceNames;
    if (!Array.isArray(resourceNames) || resourceNames.length === 0) throw invalid('resourceNames is required');
    const filter = typeof request.filter === 'string' ? parseFilter(request.filter) : [];
    const pageSize = request.pageSize === undefined ? 50 : Number(request.pageSize);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LOG_PAGE_MAX) throw invalid(`pageSize must be 1 to ${LOG_PAGE_MAX}`);
    const order = request.orderBy === undefined || request.orderBy === 'timestamp asc' ? 1 : request.orderBy === 'timestamp desc' ? -1 : 0;
    if (order === 0) throw invalid(`orderBy must be "timestamp asc" or "timestamp desc", got ${String(request.orderBy)}`);
    const matching = this.logEntries
      .filter((entry) => resourceNames.some((resource) => entry.logName.startsWith(`${String(resource)}/logs/`)))
      .filter((entry) => filter.every((clause) => clause(entry)))
      .sort((a, b) => order * (Date.parse(a.timestamp) - Date.parse(b.timestamp)));
    const start = request.pageToken === undefined ? 0 : Number(Buffer.from(String(request.pageToken), 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalid('pageToken is not valid');
    const page = matching.slice(start, start + pageSize);
    const next = start + pageSize;
    return { entries: structuredClone(page), ...(next < matching.length ? { nextPageToken: Buffer.from(String(next)).toString('base64') } : {}) };
  }
}

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Json;
  } catch {
    throw invalid('Invalid JSON payload received.');
  }
}

/** Comparisons `<field> <op> "<value>"` joined by AND (the log source's queries); anything else is refused as Google refuses a bad filter. */
function parseFilter(filter: string): Array<(entry: FakeLogEntry) => boolean> {
  const clauses = filter.split(/\s+AND\s+/).map((clause) => clause.trim()).filter(Boolean);
  return clauses.map((clause) => {
    const match = /^([a-zA-Z_.]+)\s*(=|>=|<=|>|<)\s*"([^"]*)"$/.exec(clause);
    if (!match) throw invalid(`Unparseable filter: ${clause}`);
    const [, field, op, value] = match as unknown as [string, string, string, string];
    const read = (entry: FakeLogEntry): string | undefined => {
      if (field === 'timestamp') return entry.timestamp;
      if (field === 'logName') return entry.logName;
      if (field === 'resource.type') return entry.resource.type;
      if (field.startsWith('resource.labels.')) return entry.resource.labels[field.slice('resource.labels.'.length)];
      throw invalid(`Unsupported filter field: ${field}`);
    };
    const compare = (a: string): number => (field === 'timestamp' ? Date.parse(a) - Date.parse(value) : a < value ? -1 : a > value ? 1 : 0);
    return (entry) => {
      const actual = read(entry);
      if (actual === undefined) return false;
      const order = compare(actual);
      return op === '=' ? order === 0 : op === '>=' ? order >= 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order < 0;
    };
  });
}
