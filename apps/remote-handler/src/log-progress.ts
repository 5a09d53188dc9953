import type { ProgressReporter } from '@caribou/ports';

/** Progress as plain lines (CloudWatch Logs of the remote framework), one per step start and end. */
export function logProgress(log: (line: string) => void): ProgressReporter {
  return {
    async step(title, work) {
      const started = Date.now();
      log(`${title}...`);
      try {
        const result = await work((detail) => log(`${title}: ${detail}`));
        log(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return result;
      } catch (error) {
        log(`${title}: failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    },
    info: (message) => log(message),
    warn: (message) => log(`WARNING: ${message}`),
  };
}
