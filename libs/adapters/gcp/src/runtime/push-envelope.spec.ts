import { describe, expect, it } from 'vitest';
import { BadPushRequest, decodePushRequest } from './push-envelope';

const push = (data: string, extra: Record<string, unknown> = {}) => ({
  message: { data, messageId: '42', attributes: {}, publishTime: '2026-12-07T00:00:00Z', ...extra },
  subscription: 'projects/demo-caribou/subscriptions/fn',
});

describe('the Pub/Sub push envelope', () => {
  it('unwraps the base64 data into the message text, with the message id and subscription', () => {
    const message = JSON.stringify({ payload: { é: '✓' }, workflow_placement_decision: { run_id: 'r' } });
    expect(decodePushRequest(push(Buffer.from(message).toString('base64')))).toEqual({
      event: message,
      messageId: '42',
      subscription: 'projects/demo-caribou/subscriptions/fn',
    });
    // The raw body, as bytes or text, decodes the same way.
    const raw = JSON.stringify(push(Buffer.from(message).toString('base64')));
    expect(decodePushRequest(Buffer.from(raw)).event).toBe(message);
    expect(decodePushRequest(raw).event).toBe(message);
  });

  it('takes a JSON object without a message field as the message itself (a direct call)', () => {
    expect(decodePushRequest({ payload: 1 })).toEqual({ event: { payload: 1 } });
  });

  it.each([
    [undefined, 'The request body must be a JSON object'],
    [[1, 2], 'The request body must be a JSON object'],
    ['{not json', 'The request body is not JSON'],
    [{ message: 'x' }, 'message must be an object with a base64 data field'],
    [{ message: {} }, 'message.data is missing'],
    [push(''), 'message.data is missing'],
    [push('not base64!'), 'message.data is not base64'],
    [push('abc'), 'message.data is not base64'],
  ])('refuses %j with one line naming the field', (body, expected) => {
    expect(() => decodePushRequest(body)).toThrow(BadPushRequest);
    expect(() => decodePushRequest(body)).toThrow(expected);
  });
});
