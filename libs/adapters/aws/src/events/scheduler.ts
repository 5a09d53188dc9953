import { DeleteRuleCommand, DescribeRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, GetFunctionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { CaribouError } from '@caribou/domain-common';
import type { Scheduler } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { InstallNamespace, tagList } from '../install/install-namespace';

/** The remote framework's function in the default install (`<install>_cli`: the reference's `caribou_cli`). */
export const REMOTE_FRAMEWORK_FUNCTION = new InstallNamespace().remoteFunction;
/** The EventBridge rule of a timer: `<install>_<timer>-timer-rule`. */
export const timerRuleName = (timer: string, names: InstallNamespace = new InstallNamespace()): string => names.timerRule(timer);
export const TIMER_TARGET_ID = 'caribou_cli-target';

export interface EventBridgeSchedulerOptions {
  /** The function the rules trigger. Default the install's remote framework (`caribou_cli`) in the system region. */
  functionName?: string;
}

/**
 * Timers as EventBridge rules in the system region that invoke the remote framework
 * Lambda with a fixed JSON payload (spec §10.4). Removing leaves the Lambda permission
 * statement in place, as the reference does, so re-adding the timer needs no new grant.
 */
export class EventBridgeScheduler implements Scheduler {
  private readonly functionName: string;
  private readonly region: string;

  constructor(
    private readonly clients: AwsClients,
    options: EventBridgeSchedulerOptions = {},
  ) {
    this.functionName = options.functionName ?? clients.names.remoteFunction;
    this.region = clients.systemRegion;
  }

  async putTimer(name: string, scheduleExpression: string, payload: Record<string, unknown>): Promise<void> {
    const rule = timerRuleName(name, this.clients.names);
    const events = this.clients.events(this.region);
    const lambda = this.clients.lambda(this.region);
    let functionArn: string | undefined;
    try {
      functionArn = (await lambda.send(new GetFunctionCommand({ FunctionName: this.functionName }))).Configuration?.FunctionArn;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Timer ${name} needs the remote framework ${this.functionName} in ${this.region}; run \`caribou deploy_remote_cli\` first`, { cause: error });
      }
      throw new CaribouError(`Could not read ${this.functionName} in ${this.region}: ${describeError(error)}`, { cause: error });
    }
    if (!functionArn) throw new CaribouError(`Lambda returned no ARN for ${this.functionName} in ${this.region}`);
    try {
      const { RuleArn } = await events.send(new PutRuleCommand({ Name: rule, ScheduleExpression: scheduleExpression, State: 'ENABLED', Tags: tagList(this.clients.names.tags()) }));
      await this.allowRuleToInvoke(rule, RuleArn);
      const targets = await events.send(
        new PutTargetsCommand({ Rule: rule, Targets: [{ Id: TIMER_TARGET_ID, Arn: functionArn, Input: JSON.stringify(payload) }] }),
      );
      if ((targets.FailedEntryCount ?? 0) > 0) throw new Error(targets.FailedEntries?.[0]?.ErrorMessage ?? 'target rejected');
    } catch (error) {
      const hint = isAwsError(error, 'ValidationException') ? `; check the schedule expression '${scheduleExpression}'` : '';
      throw new CaribouError(`Could not set up timer ${name} (${rule}) in ${this.region}: ${describeError(error)}${hint}`, { cause: error });
    }
  }

  private async allowRuleToInvoke(rule: string, ruleArn: string | undefined): Promise<void> {
    const statementId = `${rule}-invoke-lambda`;
    const lambda = this.clients.lambda(this.region);
    try {
      const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: this.functionName }));
      const statements = (JSON.parse(Policy ?? '{}') as { Statement?: Array<{ Sid?: string }> }).Statement ?? [];
      if (statements.some((statement) => statement.Sid === statementId)) return;
    } catch (error) {
      // No resource policy yet: no statement either.
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    }
    try {
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: this.functionName,
          StatementId: statementId,
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          ...(ruleArn ? { SourceArn: ruleArn } : {}),
          // Only this account's rule may invoke it (the confused-deputy guard AWS recommends).
          SourceAccount: await this.clients.accountId(),
        }),
      );
    } catch (error) {
      // Added concurrently by another setup_timer.
      if (!isAwsError(error, 'ResourceConflictException')) throw error;
    }
  }

  async removeTimer(name: string): Promise<void> {
    const rule = timerRuleName(name, this.clients.names);
    const events = this.clients.events(this.region);
    try {
      await events.send(new RemoveTargetsCommand({ Rule: rule, Ids: [TIMER_TARGET_ID] }));
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Could not remove the target of timer ${name} (${rule}) in ${this.region}: ${describeError(error)}`, { cause: error });
      }
    }
    try {
      await events.send(new DeleteRuleCommand({ Name: rule, Force: true }));
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Could not delete timer ${name} (${rule}) in ${this.region}: ${describeError(error)}`, { cause: error });
      }
    }
  }

  async getTimer(name: string): Promise<string | undefined> {
    try {
      return (await this.clients.events(this.region).send(new DescribeRuleCommand({ Name: timerRuleName(name, this.clients.names) }))).ScheduleExpression;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw new CaribouError(`Could not read timer ${name} in ${this.region}: ${describeError(error)}`, { cause: error });
    }
  }
}
