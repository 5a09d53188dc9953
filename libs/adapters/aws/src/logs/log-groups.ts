import { CreateLogGroupCommand, DeleteLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionLogGroups } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { workflowOfPhysicalName } from '../install/install-namespace';
import { lambdaLogGroup } from './log-source';

/**
 * The log group of each function copy, created by Caribou before the function so it has a
 * retention (Lambda would create one that keeps every line forever, and CloudWatch charges for
 * ingestion and storage), and deleted with the copy. `functionName` is the physical name; the
 * group is that of this install's copy.
 */
export class CloudWatchLogGroups implements FunctionLogGroups {
  constructor(private readonly clients: AwsClients) {}

  async ensure(region: ProviderRegion, functionName: string, retentionDays: number): Promise<string> {
    const logGroupName = lambdaLogGroup(this.clients.names.functionName(functionName));
    const logs = this.clients.logs(region.region);
    try {
      // Tagged like its function: a workflow copy's group also names the workflow and version.
      await logs.send(new CreateLogGroupCommand({ logGroupName, tags: this.clients.names.tags(workflowOfPhysicalName(functionName)) }));
    } catch (error) {
      if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw this.failure('create', logGroupName, region, error, 'logs:CreateLogGroup');
    }
    try {
      await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: retentionDays }));
    } catch (error) {
      throw this.failure('set the retention of', logGroupName, region, error, 'logs:PutRetentionPolicy');
    }
    return logGroupName;
  }

  async remove(region: ProviderRegion, functionName: string): Promise<void> {
    await this.removeIfPresent(region, functionName);
  }

  /** Deletes the group; false when there was none (a missing group is not an error). */
  async removeIfPresent(region: ProviderRegion, functionName: string): Promise<boolean> {
    const logGroupName = lambdaLogGroup(this.clients.names.functionName(functionName));
    try {
      await this.clients.logs(region.region).send(new DeleteLogGroupCommand({ logGroupName }));
      return true;
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw this.failure('delete', logGroupName, region, error, 'logs:DeleteLogGroup');
      return false;
    }
  }

  private failure(what: string, logGroupName: string, region: ProviderRegion, error: unknown, permission: string): CaribouError {
    return new CaribouError(`Could not ${what} log group ${logGroupName} in ${region.region}: ${describeError(error)}; check the credentials' ${permission} permission`, { cause: error });
  }
}
