import { CaribouError } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class Serve extends CaribouCommand {
  static override summary = "Run the local provider's timers in the foreground until stopped.";
  static override description = [
    'Runs each timer set up with setup_all_timers / setup_timer at its instants (UTC): the collectors,',
    'log_sync, manage_deployments and run_deployment_migrator, through the same services as those',
    'commands, and prints one line per tick with its outcome. One serve per CARIBOU_HOME: a second one',
    'refuses. A tick missed while serve was not running is caught up once when it starts (the latest',
    'missed one, not each). SIGTERM or Ctrl-C stops it after the running action completes (a second one at once).',
    'Timers set up while it runs are picked up within a minute. See docs/local-provider.md for a',
    'systemd unit and a launchd agent. On AWS, EventBridge runs the timers instead.',
  ].join(' ');
  static override examples = ['<%= config.bin %> setup_all_timers && <%= config.bin %> serve'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    if ((flags.provider ?? 'local') !== 'local') {
      throw new CaribouError('caribou serve runs the local provider\'s timers; on aws EventBridge runs them: use caribou setup_all_timers --provider aws');
    }
    const loop = (await this.services('local', { quietProgress: true })).get(SERVICES.TimerLoop);
    const stop = new AbortController();
    let stoppedBy: string | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stoppedBy) {
        // A second signal: stop now. The interrupted tick was not recorded, so the next serve runs it again.
        this.log(`${signal} received again: stopping now`);
        process.exit(130);
      }
      stoppedBy = signal;
      this.log(`${signal} received: stopping after the running action (send it again to stop now)`);
      stop.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      const { ticks } = await loop.serve({ signal: stop.signal, report: (line) => this.log(line) });
      this.log(`Stopped after ${ticks} tick(s)`);
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  }
}
