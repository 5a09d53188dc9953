import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { DeployedFunction, FunctionPlatform, FunctionSpec } from '@caribou/ports';
import type { GcpClients } from '../config';
import { gcpFunctionEnvironment } from '../function-environment';
import { functionResourceName, googleFunctionId } from '../names';
import { PubSubFunctionTopics, type PubSubFunctionTopicsOptions } from '../pubsub/function-topics';
import { GCP_ENTRY_POINT } from '../runtime/entry';

/** One push request as the front of a function saw it. */
export interface PushDelivery {
  /** The function copy's id (the path the subscription pushes to). */
  functionId: string;
  /** `subscription` of the push envelope: which subscription delivered it. */
  subscription: string | undefined;
  messageId: string | undefined;
  /** The Caribou message (base64-decoded `message.data`). */
  message: string | undefined;
  /** The function's HTTP answer; undefined while it runs. */
  status?: number;
  response?: string;
}

interface RunningFunction {
  functionName: string;
  functionId: string;
  identifier: string;
  region: ProviderRegion;
  child: ChildProcess;
  port: number;
  /** Everything the function wrote to stdout, line by line ([CARIBOU] lines among them). */
  lines: string[];
  stderr: string;
}

export interface LoopbackFunctionsPlatformOptions {
  clients: GcpClients;
  /** Where each function's copy of the bundle is unpacked. */
  workDir: string;
  /** The framework's node_modules, standing in for the packages Cloud Run's build installs. */
  nodeModules: string;
  /** Extra variables for every function process (the emulator hosts). */
  environment?: Record<string, string>;
  /** Delivery bounds of the push subscriptions (retries, the failed-invocations topic). */
  topics?: PubSubFunctionTopicsOptions;
}

const require = createRequire(import.meta.url);

/** The functions-framework command Cloud Run runs for Node.js functions. */
function functionsFrameworkMain(): string {
  return join(dirname(require.resolve('@google-cloud/functions-framework')), 'main.js');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const runningChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Test support: Cloud Run functions on loopback. Each function copy is a real
 * `functions-framework --target=caribou` process serving the deployed bundle; its topic
 * and push subscription are real (on the Pub/Sub emulator) and push to a front server in
 * this process, which forwards each request to the function and records it — the way
 * Google's front end sits before a Cloud Run URL. The function identifier is the Cloud Run
 * resource name, as the real platform returns it.
 */
export class LoopbackFunctionsPlatform implements FunctionPlatform {
  readonly deliveries: PushDelivery[] = [];
  private readonly functions = new Map<string, RunningFunction>();
  private readonly topics: PubSubFunctionTopics;
  private front: Server | undefined;
  private frontPort = 0;

  constructor(private readonly options: LoopbackFunctionsPlatformOptions) {
    this.topics = new PubSubFunctionTopics(options.clients, options.topics);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const child of runningChildren) child.kill('SIGKILL');
      });
    }
  }

  private key(region: ProviderRegion, functionName: string): string {
    return `${region.region}/${googleFunctionId(functionName)}`;
  }

  /** [CARIBOU] and other stdout lines of a function copy. */
  lines(region: ProviderRegion, functionName: string): string[] {
    return this.functions.get(this.key(region, functionName))?.lines ?? [];
  }

  /** Requests the front has forwarded and not yet answered. */
  get inFlight(): number {
    return this.deliveries.filter((delivery) => delivery.status === undefined).length;
  }

  private async startFront(): Promise<void> {
    if (this.front) return;
    this.front = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.front!.listen(0, '127.0.0.1', resolve));
    this.frontPort = (this.front.address() as AddressInfo).port;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const functionId = (req.url ?? '/').slice(1);
    const target = [...this.functions.values()].find((candidate) => candidate.functionId === functionId);
    let envelope: { subscription?: string; message?: { messageId?: string; data?: string } } = {};
    try {
      envelope = JSON.parse(body.toString('utf8')) as typeof envelope;
    } catch {
      /* recorded as it is; the function answers 400 */
    }
    const delivery: PushDelivery = {
      functionId,
      subscription: envelope.subscription,
      messageId: envelope.message?.messageId,
      message: typeof envelope.message?.data === 'string' ? Buffer.from(envelope.message.data, 'base64').toString('utf8') : undefined,
    };
    this.deliveries.push(delivery);
    if (!target) {
      delivery.status = 404;
      res.writeHead(404).end(`no function ${functionId}`);
      return;
    }
    const answer = await new Promise<{ status: number; body: string }>((resolve) => {
      const forwarded = httpRequest(
        { host: '127.0.0.1', port: target.port, method: req.method, path: '/', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } },
        async (response) => {
          const parts: Buffer[] = [];
          for await (const part of response) parts.push(part as Buffer);
          resolve({ status: response.statusCode ?? 502, body: Buffer.concat(parts).toString('utf8') });
        },
      );
      forwarded.on('error', (error) => resolve({ status: 502, body: error.message }));
      forwarded.end(body);
    });
    delivery.status = answer.status;
    delivery.response = answer.body;
    res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
  }

  async createOrUpdate(spec: FunctionSpec): Promise<DeployedFunction> {
    if (spec.artifact.kind !== 'directory') {
      throw new CaribouError(`The loopback platform serves directory packages; got a ${spec.artifact.kind} package for ${spec.functionName}`);
    }
    await this.startFront();
    const key = this.key(spec.region, spec.functionName);
    await this.stop(key);
    const functionId = googleFunctionId(spec.functionName);
    const identifier = functionResourceName(this.options.clients.projectId, spec.region.region, functionId);
    // The "build": the bundle unpacked in its own directory with the packages it leaves out.
    const source = join(this.options.workDir, spec.region.region, functionId);
    rmSync(source, { recursive: true, force: true });
    mkdirSync(source, { recursive: true });
    cpSync(spec.artifact.path, source, { recursive: true, filter: (path) => !path.endsWith('.zip') });
    if (!existsSync(join(source, 'package.json'))) throw new CaribouError(`${spec.artifact.path} has no package.json; build it with the gcp entry`);
    symlinkSync(this.options.nodeModules, join(source, 'node_modules'), 'dir');
    const running = await this.startFunction(functionId, identifier, spec, source);
    this.functions.set(key, running);
    await this.topics.ensure({
      functionIdentifier: identifier,
      pushEndpoint: `http://127.0.0.1:${this.frontPort}/${functionId}`,
      ackDeadlineSeconds: Math.min(600, Math.max(10, spec.timeoutSeconds)),
    });
    return { functionName: spec.functionName, region: spec.region, functionIdentifier: identifier };
  }

  private async startFunction(functionId: string, identifier: string, spec: FunctionSpec, source: string): Promise<RunningFunction> {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createNetServer();
      probe.on('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const chosen = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(chosen));
      });
    });
    const child = spawn(process.execPath, [functionsFrameworkMain(), `--target=${GCP_ENTRY_POINT}`, `--source=${source}`, `--port=${port}`], {
      cwd: source,
      env: {
        PATH: process.env.PATH ?? '',
        ...this.options.environment,
        ...gcpFunctionEnvironment(spec, this.options.clients),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    runningChildren.add(child);
    child.on('exit', () => runningChildren.delete(child));
    const running: RunningFunction = { functionName: spec.functionName, functionId, identifier, region: spec.region, child, port, lines: [], stderr: '' };
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      running.lines.push(...lines);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      running.stderr = (running.stderr + chunk.toString('utf8')).slice(-8000);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new CaribouError(`functions-framework for ${spec.functionName} exited (${child.exitCode}): ${running.stderr}`);
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: 'OPTIONS' });
        return running;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new CaribouError(`functions-framework for ${spec.functionName} did not listen on ${port} within 60 s: ${running.stderr}`);
      }
      await sleep(100);
    }
  }

  private async stop(key: string): Promise<void> {
    const running = this.functions.get(key);
    if (!running) return;
    this.functions.delete(key);
    if (running.child.exitCode === null) {
      const exited = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  }

  async exists(region: ProviderRegion, functionName: string): Promise<boolean> {
    return this.functions.has(this.key(region, functionName));
  }

  async remove(region: ProviderRegion, functionName: string): Promise<void> {
    const key = this.key(region, functionName);
    const identifier = functionResourceName(this.options.clients.projectId, region.region, googleFunctionId(functionName));
    await this.stop(key);
    await this.topics.remove(identifier);
  }

  async list(region: ProviderRegion): Promise<string[]> {
    return [...this.functions.values()].filter((running) => running.region.region === region.region).map((running) => running.functionName);
  }

  /** Stops every function process and the front server; topics stay unless removed. */
  async close(): Promise<void> {
    await Promise.all([...this.functions.keys()].map((key) => this.stop(key)));
    const front = this.front;
    this.front = undefined;
    if (front) await new Promise((resolve) => front.close(resolve));
  }
}
