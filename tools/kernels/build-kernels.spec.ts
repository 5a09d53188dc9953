import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, KERNELS_MODULE, kernelsModuleText } from './build-kernels';

describe('the solver kernels module', () => {
  it('is what libs/domain/solver/assembly/kernels.ts and general-kernels.ts compile to (run npm run build:kernels after editing them)', async () => {
    const embedded = readFileSync(KERNELS_MODULE, 'utf8');
    expect(embedded).toBe(kernelsModuleText(await compileKernels()));
  }, 60_000);
});
