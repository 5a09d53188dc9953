import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Lambda `Invoke` the proxy passed on: the function, the invocation type, the payload as JSON. */
export interface RecordedInvoke {
  functionName: string;
  invocationType: string;
  payload: unknown;
}

/** Any request the proxy passed on, as the SDK sent it (signed for `service` in `region`). */
export interface RecordedRequest {
  /** The signing name of the credential scope (`dynamodb`, `lambda`, `ssm`, `iam`, …). */
  service: string;
  region: string;
  method: string;
  /** Path and query. */
  path: string;
  /** `X-Amz-Target` of JSON protocols (`DynamoDB_20120810.GetItem`), else undefined. */
  target: string | undefined;
  body: string;
}

export interface RecordingProxy {
  /** Point CARIBOU_AWS_ENDPOINT here. */
  endpoint: string;
  /** Every Lambda Invoke sent through the proxy so far, in order. */
  invokes: RecordedInvoke[];
  /** Every request sent through the proxy so far, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;
/** `Credential=<key>/<date>/<region>/<service>/aws4_request` of a SigV4 Authorization header. */
const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\/aws4_request/;

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

/**
 * A loopback HTTP proxy in front of the AWS emulator that remembers every request it passes
 * on (service, region, operation, body), and every Lambda `Invoke` parsed. moto runs no function code and keeps no record of invocations, so this is how a
 * test sees what the remote framework sent to itself (an `internal_action`) — the real SDK
 * request, answered by the real emulator.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const invokes: RecordedInvoke[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      const scope = CREDENTIAL_SCOPE.exec(String(incoming.headers.authorization ?? ''));
      const target = incoming.headers['x-amz-target'];
      requests.push({
        service: scope?.[2] ?? 'unsigned',
        region: scope?.[1] ?? '',
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        target: typeof target === 'string' ? target : undefined,
        body: body.toString('utf8'),
      });
      const match = INVOKE_PATH.exec(incoming.url ?? '');
      if (incoming.method === 'POST' && match) {
        let payload: unknown = body.toString('utf8');
        try {
          payload = JSON.parse(payload as string);
        } catch {
          /* recorded as the raw text */
        }
        invokes.push({
          functionName: decodeURIComponent(match[1]!),
          invocationType: String(incoming.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
          payload,
        });
      }
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: upstream.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forward.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invokes,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
