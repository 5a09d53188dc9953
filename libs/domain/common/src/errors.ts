/**
 * An error whose message is meant for the user as-is: the CLI prints it on one line
 * without a stack trace (unless --debug). Everything else is treated as a bug.
 */
export class CaribouError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaribouError';
  }
}

/** Deploy-time failures, named after the reference's `DeploymentError`. */
export class DeploymentError extends CaribouError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeploymentError';
  }
}
