import { describe, expect, it } from 'vitest';
import { failedInvocationOf } from './failure-record';

/**
 * Records in the shape Lambda documents for asynchronous-invocation destinations
 * ("Capturing records of Lambda asynchronous invocations",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 * version, timestamp, requestContext {requestId, functionArn, condition, approximateInvokeCount},
 * requestPayload (the event), responseContext and responsePayload (the function's error).
 */
const event = {
  workflow_placement_decision: {
    instances: {},
    current_instance_name: 'wf-0_0_1-join:sync:',
    workflow_placement: { home_deployment: {} },
    run_id: 'a'.repeat(32),
    time_key: 'N/A',
    send_to_home_region: false,
  },
  payload: {},
};

const retriesExhausted = {
  version: '1.0',
  timestamp: '2026-03-14T18:16:05.568Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:wf-0_0_1-join_aws-eu-west-1:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'Error', errorMessage: 'the database is down', trace: ['Error: the database is down', '    at handler'] },
};

describe('failed invocations from on-failure destination records', () => {
  it('reads run, instance, region, error and attempts from a RetriesExhausted record', () => {
    expect(failedInvocationOf(JSON.stringify(retriesExhausted))).toEqual({
      run_id: 'a'.repeat(32),
      instance: 'wf-0_0_1-join:sync:',
      function_name: 'wf-0_0_1-join_aws-eu-west-1',
      region: 'aws:eu-west-1',
      error: 'Error: the database is down',
      condition: 'RetriesExhausted',
      attempts: 3,
      failed_at: '2026-03-14T18:16:05.568Z',
      request_id: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
    });
  });

  it('says why an event that expired in the queue never ran (EventAgeExceeded has no response)', () => {
    const { responseContext: _c, responsePayload: _p, ...rest } = retriesExhausted;
    const expired = { ...rest, requestContext: { ...rest.requestContext, condition: 'EventAgeExceeded', approximateInvokeCount: 0 } };
    const failure = failedInvocationOf(JSON.stringify(expired));
    expect(failure.condition).toBe('EventAgeExceeded');
    expect(failure.error).toMatch(/maximum_event_age/);
    expect(failure.attempts).toBe(0);
  });

  it('keeps a record whose event was left out (too large for the destination) under run UNKNOWN', () => {
    const { requestPayload: _e, ...rest } = retriesExhausted;
    expect(failedInvocationOf(JSON.stringify(rest))).toMatchObject({ run_id: 'UNKNOWN', instance: '', region: 'aws:eu-west-1' });
  });

  it('reads the local provider\'s records (local:<region>:<function>)', () => {
    const local = { ...retriesExhausted, requestContext: { ...retriesExhausted.requestContext, functionArn: 'local:us-east-1:wf-0_0_1-join_local-us-east-1' } };
    expect(failedInvocationOf(JSON.stringify(local))).toMatchObject({ region: 'local:us-east-1', function_name: 'wf-0_0_1-join_local-us-east-1' });
  });

  it('refuses what is not an invocation record, in one line', () => {
    expect(() => failedInvocationOf('not json')).toThrow('not an invocation record (not JSON): not json');
    expect(() => failedInvocationOf('{"hello":1}')).toThrow('not an invocation record: requestContext.functionArn is missing');
    expect(() => failedInvocationOf(JSON.stringify({ requestContext: { functionArn: 'arn:aws:sqs:x' } }))).toThrow(/not an invocation record of a function/);
  });
});
