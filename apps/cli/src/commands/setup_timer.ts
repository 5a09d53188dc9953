import { Args, Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import { TIMER_NAMES } from '@caribou/application/timers';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class SetupTimer extends CaribouCommand {
  static override summary = 'Create or update one timer (local: run by caribou serve; aws: EventBridge).';
  static override description = [
    'Without --schedule_expression the timer gets its default schedule (see list_timers).',
    'On the local provider (default) `caribou serve` runs it; with --provider aws it needs the deployed remote framework.',
  ].join(' ');
  static override examples = ['<%= config.bin %> setup_timer log_syncer', "<%= config.bin %> setup_timer carbon_collector -se 'cron(0 3 * * ? *)'"];
  static override args = { timer: Args.string({ required: true, options: TIMER_NAMES, description: 'Timer name.' }) };
  static override flags = {
    schedule_expression: Flags.string({
      aliases: ['se'],
      description:
        'EventBridge schedule, in UTC: cron(minutes hours day-of-month month day-of-week year), one of the day fields ?, day-of-week 1-7 = SUN-SAT; or rate(<n> <minute(s)|hour(s)|day(s)>). Also -se or --se, as in the reference.',
    }),
  };

  async run(): Promise<void> {
    // The reference's two-letter `-se` is expanded to --schedule_expression before oclif (short-flags.ts).
    const { args, flags } = await this.parse(SetupTimer);
    const timers = (await this.services(flags.provider)).get(SERVICES.Timers);
    const schedules = flags.schedule_expression === undefined ? {} : { [args.timer]: flags.schedule_expression };
    const result = await timers.setup((line) => this.log(line), [args.timer], schedules);
    // The reference only prints this; a script must be able to see it failed.
    if (!result.deployed) throw new CaribouError('The remote framework is not deployed; deploy it first with caribou deploy_remote_cli');
    if (result.failed.length > 0) throw new CaribouError(`Timer ${args.timer} was not set up; see the message above`);
  }
}
