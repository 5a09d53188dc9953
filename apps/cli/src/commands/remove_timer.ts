import { Args } from '@oclif/core';
import { TIMER_NAMES, type RemoteFrameworkTimers } from '@caribou/adapter-aws';
import { CaribouCommand } from '../base-command';
import { AWS_SERVICES } from '../composition/aws.module';

export default class RemoveTimer extends CaribouCommand {
  static override summary = 'Remove one remote framework timer (its EventBridge rule and target).';
  static override args = { timer: Args.string({ required: true, options: TIMER_NAMES, description: 'Timer name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(RemoveTimer);
    await this.services('aws').get<RemoteFrameworkTimers>(AWS_SERVICES.Timers).remove((line) => this.log(line), [args.timer]);
  }
}
