// `npm run build:remote-handler [-- <out dir>]`: writes the remote framework's Lambda bundle
// (default dist/remote-handler/: index.mjs exporting `handler`, solver-worker.mjs, bootstrap.mjs).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildRemoteHandlerBundle } from '../src/bundle';

const outDir = process.argv[2] ? resolve(process.argv[2]) : undefined;
const bundle = await buildRemoteHandlerBundle(outDir);
for (const file of bundle.files) console.log(`${file}  ${(statSync(file).size / 1024).toFixed(0)} KiB`);
