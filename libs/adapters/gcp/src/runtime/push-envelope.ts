import { CaribouError } from '@caribou/domain-common';

/** What a Pub/Sub push subscription POSTs to its endpoint (JSON). */
export interface PushEnvelope {
  message: { data?: string; messageId?: string; message_id?: string; attributes?: Record<string, string>; publishTime?: string };
  subscription?: string;
  deliveryAttempt?: number;
}

export interface DecodedRequest {
  /** The Caribou message, as text (the runtime parses it). */
  event: unknown;
  /** Pub/Sub's id of the message: the same on every redelivery. */
  messageId?: string;
  subscription?: string;
}

/** Raised for a request that is not a Caribou message; the entry answers 400. */
export class BadPushRequest extends CaribouError {}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A Pub/Sub push delivery: `message.data` is the base64 of the UTF-8 message the sender
 * published. A JSON object without `message` is taken as the message itself (a direct
 * HTTP call, e.g. while debugging a function by hand).
 */
export function decodePushRequest(body: unknown): DecodedRequest {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    try {
      return decodePushRequest(JSON.parse(text) as unknown);
    } catch (error) {
      if (error instanceof BadPushRequest) throw error;
      throw new BadPushRequest('The request body is not JSON; send a Pub/Sub push envelope or a Caribou message with Content-Type: application/json');
    }
  }
  if (!isRecord(body)) throw new BadPushRequest('The request body must be a JSON object: a Pub/Sub push envelope or a Caribou message');
  if (!('message' in body)) return { event: body };
  const message = body.message;
  if (!isRecord(message)) throw new BadPushRequest('message must be an object with a base64 data field (a Pub/Sub push envelope)');
  const data = message.data;
  if (typeof data !== 'string' || data.length === 0) throw new BadPushRequest('message.data is missing; the published message must carry the Caribou message as its data');
  if (!BASE64.test(data)) throw new BadPushRequest('message.data is not base64; Pub/Sub push delivers the published bytes base64-encoded');
  const messageId = typeof message.messageId === 'string' ? message.messageId : typeof message.message_id === 'string' ? message.message_id : undefined;
  return {
    event: Buffer.from(data, 'base64').toString('utf8'),
    ...(messageId ? { messageId } : {}),
    ...(typeof body.subscription === 'string' ? { subscription: body.subscription } : {}),
  };
}
