import { CaribouError } from '@caribou/domain-common';

/**
 * A log line (or Insights record) that does not have the shape the writer produces: a
 * missing or garbled field, a bad time. The log syncer counts and skips such lines
 * instead of aborting the whole sync as the reference does (DESIGN.md §4 item 6).
 */
export class MalformedLogError extends CaribouError {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedLogError';
  }
}
