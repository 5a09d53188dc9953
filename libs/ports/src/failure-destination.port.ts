import type { ProviderRegion } from '@caribou/domain-common';

/** One record read from an on-failure destination; `receipt` acknowledges it. */
export interface DestinationMessage {
  body: string;
  receipt: string;
}

/**
 * The on-failure destination of asynchronous invocations, one per region per install: where
 * the platform puts an event it gave up on (retries exhausted, too old), as an invocation
 * record (an SQS queue on AWS, a table locally). Caribou drains it into its own tables.
 */
export interface FailureDestinations {
  /** The destination's name as the platform knows it (AWS: the install's queue `<install>_failed_invocations`): what the ledger records. */
  readonly name: string;
  /** Creates the region's destination when missing (idempotent); returns what a function's event-invoke config names (a queue ARN). */
  ensure(region: ProviderRegion): Promise<string>;
  /** Deleting a missing destination is not an error. */
  remove(region: ProviderRegion): Promise<void>;
  /** Up to `max` records waiting in the region's destination; none when it does not exist. */
  receive(region: ProviderRegion, max: number): Promise<DestinationMessage[]>;
  /** Deletes records that were read and stored elsewhere. */
  acknowledge(region: ProviderRegion, receipts: readonly string[]): Promise<void>;
}
