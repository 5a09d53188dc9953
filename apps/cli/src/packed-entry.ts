import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useInstallLayout } from './composition/install-layout';

/**
 * Entry of the packed CLI (tools/pack bundles it as dist/main.js; bin/run.js imports it): the
 * files it carries sit at fixed places under the package root, one level above dist/.
 */
const dist = dirname(fileURLToPath(import.meta.url));
const root = dirname(dist);
const sdk = join(root, 'sdk');
const sdkVersion = (JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')) as { version: string }).version;

useInstallLayout({
  sdkModules: { '@caribou/sdk': join(sdk, 'dist/index.js'), '@caribou/sdk/runtime': join(sdk, 'dist/runtime.js') },
  sdkTarball: join(root, 'sdk-package', `caribou-sdk-${sdkVersion}.tgz`),
  templateDir: join(root, 'template'),
  localWorkerEntry: pathToFileURL(join(dist, 'local-worker.js')),
  solverWorkerEntry: pathToFileURL(join(dist, 'solver-worker.js')),
  remoteHandlerDir: join(root, 'remote-handler'),
  functionDockerfile: join(root, 'docker', 'function', 'Dockerfile'),
});

export { main } from './main';
