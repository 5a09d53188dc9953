import { CaribouError } from '@caribou/domain-common';

/**
 * A data source refused us in a way every further call will repeat: bad or missing
 * credentials (HTTP 401/403, Google REQUEST_DENIED) or an endpoint outside our plan.
 * Fallback compositions stop asking that source for the rest of the run.
 */
export class DataSourceRefusedError extends CaribouError {
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataSourceRefusedError';
  }
}
