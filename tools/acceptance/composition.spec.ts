import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_TOKENS } from '@caribou/adapter-local';
import { APPLICATION_TOKENS } from '@caribou/application';
import { cliModules } from '@caribou/cli/composition';
import { TOKENS } from '@caribou/ports';
import { remoteModules } from '@caribou/remote-handler';

/*
 * Design §7: the CLI and the remote framework build their containers from the same modules.
 * Every binding of each container is resolved, and every token both bind must give an
 * instance of the same class — except the progress reporter, which is the terminal in the CLI
 * and plain log lines in Lambda (by design, named here).
 */

type Bound = { container: Container; tokens: Set<symbol> };

/** Loads the modules into a fresh container, remembering every token they bind. */
function compose(modules: ContainerModule[]): Bound {
  const container = new Container();
  const tokens = new Set<symbol>();
  const recording = (module: ContainerModule) =>
    new ContainerModule((options) =>
      module.load({
        ...options,
        bind: ((token: symbol) => {
          tokens.add(token);
          return options.bind(token);
        }) as typeof options.bind,
      }),
    );
  container.load(...modules.map(recording));
  return { container, tokens };
}

/** Resolves every binding; the class of what each token gives. */
function resolveAll({ container, tokens }: Bound): Map<symbol, unknown> {
  const classes = new Map<symbol, unknown>();
  for (const token of tokens) {
    const instance = container.get<object>(token);
    expect(instance, String(token)).toBeDefined();
    classes.set(token, Object.getPrototypeOf(instance)?.constructor);
  }
  return classes;
}

const home = mkdtempSync(join(tmpdir(), 'caribou-composition-'));
// Keys set, so the live sources are composed (constructing them calls nothing); an emulator
// endpoint that nothing listens on: resolving builds clients, it sends no request.
const env = {
  CARIBOU_HOME: home,
  CARIBOU_AWS_ENDPOINT: 'http://127.0.0.1:9',
  CARIBOU_SYSTEM_REGION: 'us-west-2',
  ELECTRICITY_MAPS_AUTH_TOKEN: 'token',
  GOOGLE_API_KEY: 'key',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};
const name = (token: symbol) => token.description ?? String(token);

describe('one composition for both apps', () => {
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('the CLI (aws) and the remote framework resolve every binding and bind the same class per shared token', async () => {
    const cli = compose(await cliModules('aws', env, { project: true }));
    const remote = compose(remoteModules(env, { log: () => undefined }));
    const cliClasses = resolveAll(cli);
    const remoteClasses = resolveAll(remote);

    // The remote framework binds nothing the CLI does not.
    expect([...remote.tokens].filter((token) => !cli.tokens.has(token)).map(name)).toEqual([]);
    // What only the CLI binds: projects, packaging, deploying (the remote framework migrates, it does not bundle).
    expect([...cli.tokens].filter((token) => !remote.tokens.has(token)).map(name).sort()).toEqual(
      [TOKENS.BundleDirectoryBuilder, TOKENS.FunctionBundler, TOKENS.PackageBuilder, TOKENS.ProjectLoader, TOKENS.ProjectScaffolder, APPLICATION_TOKENS.Deploy, APPLICATION_TOKENS.NewWorkflow, APPLICATION_TOKENS.ValidateProject]
        .map(name)
        .sort(),
    );
    const differing = [...remote.tokens].filter((token) => cliClasses.get(token) !== remoteClasses.get(token));
    expect(differing).toEqual([TOKENS.ProgressReporter]);
    // The shared services really are shared: the remote actions and the CLI's data collection, deployment manager, migrator.
    for (const token of [APPLICATION_TOKENS.RemoteFrameworkActions, APPLICATION_TOKENS.DataCollect, APPLICATION_TOKENS.ManageDeployments, APPLICATION_TOKENS.Migrate]) {
      expect(remote.tokens.has(token) && cli.tokens.has(token), name(token)).toBe(true);
    }
    // With the keys set, both put the live sources in front of the shipped dataset.
    expect((cliClasses.get(TOKENS.CarbonSource) as { name: string }).name).toBe('FallbackCarbonSource');
    expect((cliClasses.get(TOKENS.LatencySource) as { name: string }).name).toBe('FallbackLatencySource');
    expect((cliClasses.get(TOKENS.RegionCatalog) as { name: string }).name).toBe('AwsRegionCatalog');
    expect((cliClasses.get(TOKENS.FastEvaluatorFactory) as { name: string }).name).toBe('ThreadedEvaluatorFactory');
  });

  it('the CLI on the local provider resolves every binding too', async () => {
    const local = compose(await cliModules('local', env, { project: true }));
    try {
      const classes = resolveAll(local);
      expect((classes.get(TOKENS.KeyValueStore) as { name: string }).name).toBe('LocalKeyValueStore');
      // Locally the latency is simulated from the shipped matrix, and the catalog is the dataset.
      expect((classes.get(TOKENS.LatencySource) as { name: string }).name).toBe('OfflineLatencySource');
      expect((classes.get(TOKENS.RegionCatalog) as { name: string }).name).toBe('OfflineRegionCatalog');
      expect(local.tokens.has(APPLICATION_TOKENS.RemoteFrameworkActions)).toBe(false);
    } finally {
      await local.container.get(LOCAL_TOKENS.Engine).close();
      local.container.get(LOCAL_TOKENS.Database).close();
    }
  });

  it('CARIBOU_OFFLINE_DATA=1 composes no live source in either app', async () => {
    const offline = { ...env, CARIBOU_OFFLINE_DATA: '1' };
    for (const bound of [compose(await cliModules('aws', offline)), compose(remoteModules(offline, { log: () => undefined }))]) {
      const classes = resolveAll(bound);
      expect((classes.get(TOKENS.CarbonSource) as { name: string }).name).toBe('OfflineCarbonSource');
      expect((classes.get(TOKENS.LatencySource) as { name: string }).name).toBe('OfflineLatencySource');
      expect((classes.get(TOKENS.RegionCatalog) as { name: string }).name).toBe('OfflineRegionCatalog');
    }
  });
});
