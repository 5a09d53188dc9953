import { Args } from '@oclif/core';
import { TIMER_NAMES } from '@caribou/application/timers';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class RemoveTimer extends CaribouCommand {
  static override summary = 'Remove one timer (local: serve stops running it; aws: its EventBridge rule).';
  static override args = { timer: Args.string({ required: true, options: TIMER_NAMES, description: 'Timer name.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RemoveTimer);
    await (await this.services(flags.provider)).get(SERVICES.Timers).remove((line) => this.log(line), [args.timer]);
  }
}
