/** gRPC status codes the Google client libraries put on `error.code`. */
export const GrpcStatus = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
} as const;

export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function hasGrpcCode(error: unknown, ...codes: number[]): boolean {
  const code = grpcCode(error);
  return code !== undefined && codes.includes(code);
}

/** The first line of a client library error, without the stack. */
export function describeGcpError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n', 1)[0]!;
  return String(error);
}
