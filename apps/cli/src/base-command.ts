import { Command, Flags, Errors, type Interfaces } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import { resolve } from 'node:path';
import { createContainer, type CaribouContainer, type ContainerOptions, type ProviderName } from './composition/container';
import { writeErrorLine } from './error-line';
import { SERVICES } from './composition/tokens';

/** What oclif parses flags and arguments into (its own FlagOutput and ArgOutput, which it does not export). */
type ParsedValues = Record<string, unknown>;

/**
 * Every command: `--workflow-dir/-p`, `--provider`, `--debug`; bad input ends with one
 * line on stderr and a non-zero exit code (1 for a problem the user can fix, 2 for a
 * bug or a usage error), the stack only with --debug.
 */
export abstract class CaribouCommand extends Command {
  static override baseFlags = {
    'workflow-dir': Flags.directory({
      char: 'p',
      description: 'Workflow project directory (default: the current directory).',
      helpGroup: 'GLOBAL',
    }),
    provider: Flags.string({
      description: 'Framework provider whose tables to use: local (embedded, default), aws or gcp. Deploy takes it from the config.',
      options: ['local', 'aws', 'gcp'],
      env: 'CARIBOU_PROVIDER',
      helpGroup: 'GLOBAL',
    }),
    install: Flags.string({
      description: 'AWS install whose resources to use: its name prefixes every resource and tags it (letters and digits, default caribou).',
      env: 'CARIBOU_INSTALL',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({ description: 'Show the stack trace of errors (also CARIBOU_DEBUG=1).', default: false, helpGroup: 'GLOBAL' }),
  };

  private container?: Promise<CaribouContainer>;
  private projectContainer?: Promise<CaribouContainer>;

  /**
   * oclif's parse, refusing an empty value given on the command line (`--workflow ''`, `show ''`):
   * the commands read an empty string as "not given", so `run_deployment_migrator --workflow ''`
   * would migrate every workflow and `plan --html ''` would write no file, each without a word.
   */
  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv).catch((error: unknown) => {
      throw badEnvironmentValue({ ...options?.baseFlags, ...options?.flags }, argv ?? this.argv) ?? error;
    });
    const empty = parsed.raw.find((token) => token.input.trim() === '');
    if (empty) throw new Errors.CLIError(emptyValueMessage(this.id ?? '', empty, { ...options?.baseFlags, ...options?.flags }[empty.type === 'flag' ? empty.flag : '']?.char), { exit: 2 });
    return parsed;
  }

  protected projectDir(flags: { 'workflow-dir'?: string | undefined }): string {
    return resolve(flags['workflow-dir'] ?? process.cwd());
  }

  /** The services of one provider; `project` also binds the workflow-project ones (deploy). */
  protected services(provider: ProviderName | string | undefined, options: ContainerOptions = {}): Promise<CaribouContainer> {
    this.container ??= createContainer((provider ?? 'local') as ProviderName, this.environment(), options);
    return this.container;
  }

  /** process.env with `--install` applied (the flag wins over CARIBOU_INSTALL). */
  private environment(): NodeJS.ProcessEnv {
    const index = this.argv.findIndex((arg) => arg === '--install' || arg.startsWith('--install='));
    if (index < 0) return process.env;
    const arg = this.argv[index]!;
    const install = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : this.argv[index + 1];
    return install ? { ...process.env, CARIBOU_INSTALL: install } : process.env;
  }

  /** The workflow-project services alone (new_workflow, validate): no provider is loaded. */
  protected projectServices(): Promise<CaribouContainer> {
    this.projectContainer ??= createContainer(null);
    return this.projectContainer;
  }

  /** `-r/--remote`: hands the command to the deployed remote framework (reference-system §1.3). */
  protected async runRemote(command: string, extra: Record<string, unknown>): Promise<void> {
    await (await this.services('aws')).get(SERVICES.RemoteFramework).runCommand(command, extra, (line) => this.log(line));
  }

  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await (await this.container?.catch(() => undefined))?.close();
    await (await this.projectContainer?.catch(() => undefined))?.close();
    return super.finally(error);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    const debug = this.argv.includes('--debug') || process.env.CARIBOU_DEBUG === '1';
    // One line, but the whole cause: a multi-line message is joined, not cut.
    const message = (error.message || String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
    if (error.oclif?.exit !== undefined && !(error instanceof CaribouError)) {
      // Parsing and usage errors: main() prints them in one line and exits 2.
      throw error;
    }
    if (debug) process.stderr.write(`${error.stack ?? message}\n`);
    const expected = error instanceof CaribouError;
    const text = expected || debug ? message : `${message} (unexpected; run with --debug for the stack trace)`;
    writeErrorLine(this.argv, text);
    process.exitCode = expected ? 1 : 2;
    return undefined;
  }
}

function emptyValueMessage(command: string, token: Interfaces.ParserOutput['raw'][number], char: string | undefined): string {
  if (token.type === 'arg') return `${token.arg.toUpperCase()} is empty: give a value (caribou ${command} --help describes it)`;
  const name = `--${token.flag}${char ? ` (-${char})` : ''}`;
  return `${name} is empty: give a value, or leave the flag out (caribou ${command} --help describes it)`;
}

/**
 * A flag read from a variable (`--provider` from CARIBOU_PROVIDER) whose value is not one of its
 * options, when the command line does not give the flag: oclif blames `--provider=…`, which the
 * user never typed, so name the variable instead.
 */
function badEnvironmentValue(flags: Record<string, { env?: string; options?: readonly string[] }>, argv: readonly string[]): Errors.CLIError | undefined {
  for (const [name, flag] of Object.entries(flags)) {
    const value = flag.env ? process.env[flag.env] : undefined;
    if (!flag.env || !flag.options || value === undefined || flag.options.includes(value)) continue;
    if (argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))) continue;
    return new Errors.CLIError(`${flag.env}=${value} is not one of ${flag.options.join(', ')}: set it to one of them, or unset it`, { exit: 2 });
  }
  return undefined;
}
