import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { FrameworkService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class TeardownFramework extends CaribouCommand {
  static override summary = 'Remove every workflow, the remote framework and all framework tables.';
  static override description =
    'Irreversible. Removes the remote framework and its timers (aws), every deployed workflow with all its region copies, the sync tables of every known region, and the framework tables. CloudWatch logs are kept on AWS.';
  static override flags = { yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(TeardownFramework);
    if (!flags.yes) {
      if (!process.stdin.isTTY) throw new CaribouError('teardown_framework needs confirmation: run it in a terminal or pass --yes');
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await prompt.question('Are you sure you want to teardown the framework? This action cannot be undone. [y/N]: ');
      prompt.close();
      if (!/^y(es)?$/i.test(answer.trim())) return this.log('Teardown aborted.');
    }
    const report = await (await this.services(flags.provider))
      .get<FrameworkService>(SERVICES.Framework)
      .teardown((line) => this.log(line));
    this.log(`Removed ${report.workflowsRemoved.length} workflow(s); cleared sync tables in ${report.syncRegionsCleared.length} region(s).`);
    this.log('Framework teardown attempt has been completed.');
    if (report.failures.length > 0) throw new CaribouError(`${report.failures.length} step(s) failed; run teardown_framework again`);
  }
}
