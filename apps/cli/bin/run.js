#!/usr/bin/env node
// The CLI runs from TypeScript sources (no build step): tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2), import.meta.url);
