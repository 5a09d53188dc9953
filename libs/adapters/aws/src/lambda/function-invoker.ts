import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionInvoker } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError } from '../errors';

/** Function-to-function transport (DESIGN.md §4.1): an asynchronous Lambda invoke in the target's region. */
export class LambdaFunctionInvoker implements FunctionInvoker {
  constructor(private readonly clients: Pick<AwsClients, 'lambda'>) {}

  async invokeAsync(region: ProviderRegion, identifier: string, message: string): Promise<void> {
    let response;
    try {
      response = await this.clients
        .lambda(region.region)
        .send(new InvokeCommand({ FunctionName: identifier, InvocationType: 'Event', Payload: Buffer.from(message, 'utf8') }));
    } catch (error) {
      throw new CaribouError(`Could not invoke ${identifier} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
    if (response.StatusCode !== 202) {
      throw new CaribouError(`Lambda did not accept the asynchronous invocation of ${identifier} in ${region.region} (status ${response.StatusCode})`);
    }
  }
}
