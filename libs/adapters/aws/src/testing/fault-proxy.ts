import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '@caribou/domain-collection';
/**
 * What the proxy does to one request: `throttle` and `server-error` answer without passing it
 * on (AWS refusing a caller over its rate; a 500/503); `lost-answer` passes it on, lets the
 * emulator do the work, then answers 500 — the caller cannot tell the work was done.
 */
export type InjectedFault = 'throttle' | 'server-error' | 'lost-answer';

/** A request as the proxy sees it: `operation` is the API action (DynamoDB `PutItem`, IAM `DeleteRole`) or, for REST APIs (Lambda), the method and path. */
export interface ProxiedRequest {
  operation: string;
  method: string;
  path: string;
}

/** Decides each request's fault, or none. */
export type FaultPicker = (request: ProxiedRequest) => InjectedFault | undefined;

/** What the proxy did to the requests it saw. */
export interface InjectedFaults {
  requests: number;
  /** Refused before reaching the emulator, as AWS refuses a caller over its rate. */
  throttled: number;
  /** Answered 500/503 before reaching the emulator. */
  serverErrors: number;
  /** Passed to the emulator, which did the work, but the caller got a 500 instead of its answer. */
  lostAnswers: number;
}

export interface FaultProxy {
  /** Point CARIBOU_AWS_ENDPOINT here. */
  endpoint: string;
  faults: InjectedFaults;
  /** Lambda Invoke requests the emulator accepted (2xx), with their raw payloads. */
  acceptedInvokes: Array<{ functionName: string; payload: string }>;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

/** The API action of a request: JSON protocols name it in `x-amz-target`, query protocols in the form's `Action`. */
function operationOf(incoming: IncomingMessage, body: Buffer): string {
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  if (String(incoming.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) return action;
  }
  return `${incoming.method ?? 'GET'} ${(incoming.url ?? '/').split('?')[0]}`;
}

/**
 * Faults at `rate` of all requests, drawn from a seeded generator (a seed replays the
 * same sequence): half throttling, a quarter 500/503 before the work, a quarter
 * answers lost after it.
 */
export function seededFaults(rate: number, seed: number): FaultPicker {
  const random = mulberry32(seed);
  return () => {
    const draw = random();
    if (draw >= rate) return undefined;
    return draw < rate / 2 ? 'throttle' : draw < (3 * rate) / 4 ? 'server-error' : 'lost-answer';
  };
}

/**
 * An AWS error answer in the wire protocol the request used, as the service would send it:
 * JSON protocols (DynamoDB, CloudWatch Logs, EventBridge: an `x-amz-target` header) carry
 * `__type`, query protocols (IAM, STS, EC2: a form body) an XML ErrorResponse, REST-JSON
 * (Lambda) the `x-amzn-errortype` header.
 */
function errorAnswer(headers: IncomingHttpHeaders, kind: 'throttle' | 'server'): { status: number; headers: Record<string, string>; body: string } {
  const requestId = 'caribou-fault-proxy';
  if (headers['x-amz-target']) {
    const code = kind === 'throttle' ? 'ThrottlingException' : 'InternalServerError';
    return {
      status: kind === 'throttle' ? 400 : 500,
      headers: { 'content-type': String(headers['content-type'] ?? 'application/x-amz-json-1.0'), 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: `com.amazonaws.caribou#${code}`, message: kind === 'throttle' ? 'Rate exceeded' : 'Internal server error' }),
    };
  }
  if (String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const code = kind === 'throttle' ? 'Throttling' : 'ServiceUnavailable';
    return {
      status: kind === 'throttle' ? 400 : 503,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse><Error><Type>${kind === 'throttle' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${kind === 'throttle' ? 'Rate exceeded' : 'Service unavailable'}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  const code = kind === 'throttle' ? 'TooManyRequestsException' : 'ServiceException';
  return {
    status: kind === 'throttle' ? 429 : 500,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ Type: kind === 'throttle' ? 'User' : 'Service', message: kind === 'throttle' ? 'Rate exceeded' : 'Internal service error' }),
  };
}

/**
 * A loopback HTTP proxy in front of the AWS emulator that answers a seeded share of requests
 * with what AWS answers under load: a throttling error or a 500/503 before the request reaches
 * the service, or — the hardest case for a caller — a 500 after the service did the work. The
 * SDK clients of the CLI see real AWS error answers over HTTP; the emulator sees every request
 * that got through.
 */
export async function startFaultProxy(target: string, pick: FaultPicker): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: InjectedFaults = { requests: 0, throttled: 0, serverErrors: 0, lostAnswers: 0 };
  const acceptedInvokes: FaultProxy['acceptedInvokes'] = [];

  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      faults.requests += 1;
      const fault = pick({ operation: operationOf(incoming, body), method: incoming.method ?? 'GET', path: incoming.url ?? '/' });
      const answerWithError = (kind: 'throttle' | 'server') => {
        const answer = errorAnswer(incoming.headers, kind);
        outgoing.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
        outgoing.end(answer.body);
      };
      if (fault === 'throttle' || fault === 'server-error') {
        if (fault === 'throttle') faults.throttled += 1;
        else faults.serverErrors += 1;
        answerWithError(fault === 'throttle' ? 'throttle' : 'server');
        return;
      }
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: upstream.host } },
        (answer) => {
          const invoke = INVOKE_PATH.exec(incoming.url ?? '');
          const status = answer.statusCode ?? 502;
          if (incoming.method === 'POST' && invoke && status < 300) acceptedInvokes.push({ functionName: decodeURIComponent(invoke[1]!), payload: body.toString('utf8') });
          if (fault === 'lost-answer') {
            faults.lostAnswers += 1;
            answer.resume();
            answer.on('end', () => answerWithError('server'));
            return;
          }
          outgoing.writeHead(status, answer.headers);
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
    faults,
    acceptedInvokes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
