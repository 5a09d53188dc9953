import { Flags } from '@oclif/core';
import { REMOTE_FRAMEWORK_DEFAULTS, REMOTE_SECRET_NAMES, validateRemoteFrameworkSettings } from '@caribou/adapter-aws/catalog';
import { checkLambdaRuntime, DEFAULT_LAMBDA_RUNTIME, LAMBDA_NODE_RUNTIMES } from '@caribou/domain-common';
import { TOKENS } from '@caribou/ports';
import { CaribouCommand } from '../base-command';
import { installLayout } from '../composition/install-layout';
import { SERVICES } from '../composition/tokens';


export default class DeployRemoteCli extends CaribouCommand {
  static override summary = 'Deploy the remote framework (the caribou_cli Lambda) to the system region.';
  static override description = [
    `Bundles the framework into a zip for a Lambda Node.js runtime (--runtime, default ${DEFAULT_LAMBDA_RUNTIME}; no Docker), creates or updates the role`,
    'caribou_deployment_policy and the function caribou_cli in the system region (CARIBOU_SYSTEM_REGION, default',
    'us-west-2). ELECTRICITY_MAPS_AUTH_TOKEN and GOOGLE_API_KEY, when set, are stored as SecureString parameters',
    '/<install>/<NAME> in SSM Parameter Store, which the function reads when it starts (never environment variables',
    'of the function); when not set, stored ones are kept; without any the remote collectors use the shipped',
    'offline dataset. remove_remote_cli deletes them. Then use -r on data_collect,',
    'log_sync, manage_deployments, run_deployment_migrator or remove, and the timer commands.',
  ].join(' ');
  static override examples = ['<%= config.bin %> deploy_remote_cli', '<%= config.bin %> deploy_remote_cli -m 3008 -t 600 -s 1024'];
  static override flags = {
    memory: Flags.integer({ char: 'm', description: 'Memory of the function in MB (128–10240).', default: REMOTE_FRAMEWORK_DEFAULTS.memoryMb }),
    timeout: Flags.integer({ char: 't', description: 'Timeout of the function in seconds (1–900).', default: REMOTE_FRAMEWORK_DEFAULTS.timeoutSeconds }),
    ephemeral_storage: Flags.integer({ char: 's', description: 'Size of /tmp in MB (512–10240).', default: REMOTE_FRAMEWORK_DEFAULTS.ephemeralStorageMb }),
    runtime: Flags.string({
      description: `Lambda runtime of caribou_cli (${LAMBDA_NODE_RUNTIMES.map((row) => row.id).join(', ')}; one AWS blocks is refused).`,
      default: DEFAULT_LAMBDA_RUNTIME,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DeployRemoteCli);
    const settings = { memoryMb: flags.memory, timeoutSeconds: flags.timeout, ephemeralStorageMb: flags.ephemeral_storage };
    validateRemoteFrameworkSettings(settings);
    const container = await this.services('aws');
    const progress = container.get(TOKENS.ProgressReporter);
    // Before anything is built or created: Lambda would refuse a blocked runtime half-way.
    const { runtime, warning } = checkLambdaRuntime(flags.runtime, container.get(TOKENS.Clock).now(), '--runtime');
    if (warning) progress.warn(warning);
    this.log('The remote framework and its timers are experimental features.');
    // Loaded on demand: bundling pulls in esbuild.
    const { buildRemoteHandlerPackage } = await import('@caribou/remote-handler/bundle');
    // The packed CLI ships the bundle built for the oldest runtime's Node.js, which every runtime runs.
    const prebuilt = installLayout().remoteHandlerDir;
    const artifact = await progress.step('Bundling the remote framework', () =>
      prebuilt ? buildRemoteHandlerPackage(prebuilt, runtime.id, { prebuilt: true }) : buildRemoteHandlerPackage(undefined, runtime.id),
    );
    const secrets: Record<string, string> = {};
    for (const name of REMOTE_SECRET_NAMES) {
      const value = process.env[name]?.trim();
      if (value) secrets[name] = value;
    }
    const remote = container.get(SERVICES.RemoteFramework);
    const { function: functionName, role } = remote.names;
    const deployment = await progress.step(`Deploying ${functionName} and role ${role}`, () => remote.deploy({ ...settings, artifact, secrets, runtime: runtime.id }));
    // Names and parameter names only: a key's value is never printed.
    for (const secret of deployment.secrets) {
      if (secret.state === 'stored') this.log(`${secret.name} is set: stored as SecureString parameter ${secret.location}`);
      else if (secret.state === 'kept') this.log(`${secret.name} is not set: keeping the stored parameter ${secret.location}`);
      else this.log(`${secret.name} is not set: the remote collectors fall back to the shipped offline data`);
    }
    this.log(`Caribou Lambda Framework remote cli function ${functionName} created successfully, with ARN: ${deployment.functionArn}`);
  }
}
