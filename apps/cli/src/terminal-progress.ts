import pc from 'picocolors';
import type { ProgressReporter } from '@caribou/ports';

/**
 * Progress on stderr (stdout stays clean for --json): on a terminal one line per step
 * that updates in place; elsewhere (CI, pipes) the step and its result only.
 */
export class TerminalProgress implements ProgressReporter {
  private readonly interactive: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.interactive = Boolean(stream.isTTY) && !process.env.CI;
  }

  async step<T>(title: string, work: (update: (detail: string) => void) => Promise<T>): Promise<T> {
    const started = performance.now();
    let lastDraw = 0;
    const draw = (detail: string): void => {
      if (this.quiet || !this.interactive) return;
      const now = performance.now();
      if (now - lastDraw < 50) return;
      lastDraw = now;
      const columns = this.stream.columns ?? 100;
      this.stream.write(`\r\x1b[2K${pc.cyan('›')} ${title} ${pc.dim(detail)}`.slice(0, columns + 20));
    };
    if (!this.quiet && !this.interactive) this.stream.write(`› ${title}\n`);
    draw('');
    try {
      const result = await work(draw);
      this.finish(`${pc.green('✔')} ${title} ${pc.dim(`(${seconds(started)})`)}`);
      return result;
    } catch (error) {
      this.finish(`${pc.red('✖')} ${title} ${pc.dim(`(${seconds(started)})`)}`);
      throw error;
    }
  }

  info(message: string): void {
    if (!this.quiet) this.stream.write(`${message}\n`);
  }

  warn(message: string): void {
    this.stream.write(`${pc.yellow('!')} ${message}\n`);
  }

  private finish(line: string): void {
    if (this.quiet) return;
    if (this.interactive) this.stream.write(`\r\x1b[2K${line}\n`);
    else this.stream.write(`${line}\n`);
  }
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)}s`;
}
