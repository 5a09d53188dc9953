#!/usr/bin/env node
// The CLI runs from TypeScript sources (no build step): tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start that its 2027 releases need Node 22; the lockfile pins
// releases that support Node 20, so the warning only buries the command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2), import.meta.url);
