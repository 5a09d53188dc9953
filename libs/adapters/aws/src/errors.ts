/** The service error name of an SDK v3 exception (`ResourceNotFoundException`, ...), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

/** What to do about errors that are about reaching AWS at all, not about the operation. */
function accessHint(error: Error): string {
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return ' (no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or CARIBOU_AWS_ENDPOINT for an emulator)';
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || error.name === 'TimeoutError' || /ECONNREFUSED|ENOTFOUND/.test(error.message)) {
    return ' (AWS endpoint unreachable: check the network, or CARIBOU_AWS_ENDPOINT if you use an emulator)';
  }
  if (error.name === 'UnrecognizedClientException' || error.name === 'InvalidClientTokenId' || error.name === 'ExpiredTokenException') {
    return ' (the credentials were refused: refresh them, and check the region is enabled for the account)';
  }
  return '';
}

/** A one-line description of any thrown value, for CaribouError messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message.split('\n')[0]}${accessHint(error)}`;
  }
  return String(error);
}
