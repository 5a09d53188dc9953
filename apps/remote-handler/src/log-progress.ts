import type { ProgressReporter } from '@caribou/ports';

/**
 * Progress as plain lines (the remote framework's CloudWatch Logs), one per step start and
 * end. The CLI reports the same steps on the terminal (TerminalProgress): the one port whose
 * adapter differs between the two apps by design.
 */
export class LogLineProgress implements ProgressReporter {
  constructor(private readonly log: (line: string) => void) {}

  async step<T>(title: string, work: (update: (detail: string) => void) => Promise<T>): Promise<T> {
    const started = Date.now();
    this.log(`${title}...`);
    try {
      const result = await work((detail) => this.log(`${title}: ${detail}`));
      this.log(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      this.log(`${title}: failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  info(message: string): void {
    this.log(message);
  }

  warn(message: string): void {
    this.log(`WARNING: ${message}`);
  }
}
