import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one aggregate line `N passed, N failed[, N skipped]` after every other
 * reporter, summed over all vitest projects. CI reads only this line, so a module
 * that fails to load, or an unhandled error, counts as a failure here too.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedInModule = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedInModule += 1;
        else skipped += 1;
      }
      // A file that fails outside its tests — a syntax error or failed import before any test
      // is collected, or a failing beforeAll, which leaves its tests skipped — counts once;
      // without this it would read as "0 failed" while vitest exits non-zero.
      if (failedInModule === 0 && module.state() === 'failed') failedInModule = 1;
      failed += failedInModule;
    }
    failed += unhandledErrors.length;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
