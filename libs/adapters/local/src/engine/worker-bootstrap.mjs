// Worker entry in plain JavaScript: registers tsx in this thread, then loads the
// TypeScript worker (module hooks of the parent thread do not reach workers on Node 20).
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
