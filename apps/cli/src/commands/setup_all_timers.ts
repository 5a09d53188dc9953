import { Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import { TIMERS } from '@caribou/application/timers';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';
import { REFERENCE_SHORT_FLAGS } from '../short-flags';

/** The reference's short form of each timer's flag (`-prc` for --provider_collector). */
const shortFormOf = (timer: string): string => Object.entries(REFERENCE_SHORT_FLAGS).find(([, long]) => long === `--${timer}`)![0];

/** One flag per timer (`--provider_collector/-prc` …), as in the reference's quick start. */
const timerFlags = Object.fromEntries(
  TIMERS.map((timer) => [
    timer.name,
    Flags.string({
      aliases: [shortFormOf(timer.name).slice(1)],
      helpValue: 'EXPRESSION',
      description: `Schedule of ${timer.name} instead of its default ${timer.schedule}. Also ${shortFormOf(timer.name)}, as in the reference.`,
    }),
  ]),
) as Record<string, ReturnType<typeof Flags.string>>;

export default class SetupAllTimers extends CaribouCommand {
  static override summary = 'Create or update all six timers with their default schedules, or the ones given.';
  static override description = [
    'Overwrites custom schedules: a timer without its flag gets its default again.',
    'Every expression is checked before any timer is touched; a timer that cannot be set up is reported and the others go on.',
    'On the local provider (default) the timers are kept in CARIBOU_HOME and `caribou serve` runs them;',
    'with --provider aws they are EventBridge rules, which need the deployed remote framework.',
  ].join(' ');
  static override examples = ['<%= config.bin %> setup_all_timers', "<%= config.bin %> setup_all_timers -prc 'cron(0 3 1 * ? *)' -los 'rate(6 hours)'"];
  static override flags = timerFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(SetupAllTimers);
    const given = flags as Record<string, string | undefined>;
    const schedules = Object.fromEntries(TIMERS.flatMap((timer) => (given[timer.name] === undefined ? [] : [[timer.name, given[timer.name]!]])));
    const container = await this.services(flags.provider);
    const result = await container.get(SERVICES.Timers).setup((line) => this.log(line), undefined, schedules);
    // The reference only prints this; a script must be able to see it failed.
    if (!result.deployed) throw new CaribouError('The remote framework is not deployed; deploy it first with caribou deploy_remote_cli');
    if (result.failed.length > 0) throw new CaribouError(`${result.failed.length} timer(s) were not set up: ${result.failed.join(', ')}; run the command again`);
    if (container.provider === 'local') this.log('The timers run while caribou serve runs (see docs/local-provider.md)');
  }
}
