import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import type { FrameworkService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class TeardownFramework extends CaribouCommand {
  static override summary = 'Remove every workflow, the remote framework and all framework tables.';
  static override description =
    'Irreversible. Removes the remote framework and its timers (aws), every deployed workflow with all its region copies, their log groups and roles, the sync tables and on-failure queues of every region a deploy or migration touched, and the framework tables: what the resource ledgers list, in the install CARIBOU_INSTALL (or --install) names and the system region CARIBOU_SYSTEM_REGION names. What could not be removed is listed with the command that retries.';
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
    if (report.failures.length > 0) {
      this.log('Not removed (the ledgers keep them for the next attempt):');
      for (const failure of report.failures) this.log(`  ${failure}`);
      throw new CaribouError(`${report.failures.length} resource(s) could not be removed; retry with: ${retryCommand(flags)}`);
    }
  }
}

/** The command that retries this teardown: the same provider, install and system region. */
function retryCommand(flags: { provider?: string | undefined; install?: string | undefined }): string {
  const environment = ['CARIBOU_SYSTEM_REGION', 'CARIBOU_AWS_ENDPOINT']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]} `)
    .join('');
  const provider = flags.provider ? ` --provider ${flags.provider}` : '';
  const install = flags.install ? ` --install ${flags.install}` : '';
  return `${environment}caribou teardown_framework --yes${provider}${install}`;
}
