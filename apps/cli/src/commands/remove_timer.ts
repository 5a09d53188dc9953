import { Args } from '@oclif/core';
import type { RemoteFrameworkTimers } from '@caribou/adapter-aws';
import { TIMER_NAMES } from '@caribou/adapter-aws/catalog';
import { CaribouCommand } from '../base-command';
import { AWS_SERVICES } from '../composition/tokens';

export default class RemoveTimer extends CaribouCommand {
  static override summary = 'Remove one remote framework timer (its EventBridge rule and target).';
  static override args = { timer: Args.string({ required: true, options: TIMER_NAMES, description: 'Timer name.' }) };

  async run(): Promise<void> {
    const { args } = await this.parse(RemoveTimer);
    await (await this.services('aws')).get<RemoteFrameworkTimers>(AWS_SERVICES.Timers).remove((line) => this.log(line), [args.timer]);
  }
}
