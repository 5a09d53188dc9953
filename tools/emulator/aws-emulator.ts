import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port';

export interface RunningEmulator {
  kind: 'moto' | 'localstack';
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * LocalStack through Testcontainers when a container engine answers, otherwise a
 * `moto_server` on a free loopback port. Both are real AWS API servers; moto does not
 * execute Lambda code, so Lambda Docker execution is switched off before any function exists.
 */
export async function startAwsEmulator(): Promise<RunningEmulator> {
  if (process.env.CARIBOU_AWS_EMULATOR !== 'moto' && (await containerEngineAvailable())) {
    return startLocalStack();
  }
  return startMoto();
}

async function containerEngineAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startLocalStack(): Promise<RunningEmulator> {
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  const image = process.env.LOCALSTACK_IMAGE ?? 'localstack/localstack:4.4.0';
  let container = new LocalstackContainer(image);
  if (process.env.LOCALSTACK_AUTH_TOKEN) {
    container = container.withEnvironment({ LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN });
  }
  const started = await container.start();
  return { kind: 'localstack', endpoint: started.getConnectionUri(), stop: async () => void (await started.stop()) };
}

/** Where moto_server can be found, in the order TOOLCHAIN.md documents. */
export function resolveMotoCommand(): { command: string; args: string[] } {
  const tried: string[] = [];
  const onPath = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return { command: onPath.stdout.trim(), args: [] };
  tried.push('moto_server on PATH');
  const pyenvVersions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (existsSync(pyenvVersions)) {
    for (const version of readdirSync(pyenvVersions).sort().reverse()) {
      const candidate = join(pyenvVersions, version, 'bin', 'moto_server');
      if (existsSync(candidate)) return { command: candidate, args: [] };
      const python = join(pyenvVersions, version, 'bin', 'python3');
      if (existsSync(python) && spawnSync(python, ['-c', 'import moto.server']).status === 0) {
        return { command: python, args: ['-m', 'moto.server'] };
      }
    }
  }
  tried.push(`${pyenvVersions}/*/bin/moto_server`, 'python3 -m moto.server');
  if (spawnSync('python3', ['-c', 'import moto.server']).status === 0) {
    return { command: 'python3', args: ['-m', 'moto.server'] };
  }
  throw new Error(`moto_server not found (tried ${tried.join(', ')}); install moto[server] or set PATH`);
}

/**
 * moto_server handles requests on several threads without locking items, so two concurrent
 * DynamoDB updates of one item can lose one — something real DynamoDB never does, and our
 * fan-in contract tests check. Running moto's app single-threaded restores atomic updates.
 */
const SINGLE_THREADED_MOTO = [
  'import sys',
  'from werkzeug.serving import run_simple',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False, use_reloader=False)',
].join('\n');

/** A Python interpreter that can import moto: the one behind moto_server, pyenv's, or python3. */
function motoPython(motoServer: string): string | undefined {
  const candidates: string[] = [];
  try {
    const firstLine = readFileSync(motoServer, 'utf8').split('\n', 1)[0] ?? '';
    if (firstLine.startsWith('#!') && firstLine.includes('python')) candidates.push(firstLine.slice(2).trim().split(/\s+/)[0]!);
  } catch {
    /* not a readable script */
  }
  const pyenvVersions = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  if (existsSync(pyenvVersions)) {
    for (const version of readdirSync(pyenvVersions).sort().reverse()) candidates.push(join(pyenvVersions, version, 'bin', 'python3'));
  }
  candidates.push('python3');
  return candidates.find((python) => spawnSync(python, ['-c', 'import moto.moto_server.werkzeug_app, werkzeug']).status === 0);
}

export async function startMoto(): Promise<RunningEmulator> {
  const { command, args } = resolveMotoCommand();
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const python = motoPython(command);
  const [program, programArgs] = python
    ? [python, ['-c', SINGLE_THREADED_MOTO, '127.0.0.1', String(port)]]
    : [command, [...args, '-H', '127.0.0.1', '-p', String(port)]];
  const child: ChildProcess = spawn(program, programArgs, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Must happen before any function is created: switching later drops the functions.
  await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  return {
    kind: 'moto',
    endpoint,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Clears every service and region of a moto server between test files. */
export async function resetMoto(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
}
