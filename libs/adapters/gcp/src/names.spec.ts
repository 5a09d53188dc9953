import { describe, expect, it } from 'vitest';
import { functionResourceName, googleFunctionId, parseFunctionResourceName, pushSubscriptionOfTopic, serviceAccountEmail, serviceAccountId, topicOfFunction } from './names';

const VALID_ID = /^[a-z][a-z0-9-]{2,61}[a-z0-9]$/;

describe('Google Cloud names of our functions', () => {
  it('maps physical function names to valid Cloud Run ids, readable and distinct', () => {
    const names = [
      'small_sync_example-0_0_1-initial_function_gcp-us-east4',
      'small_sync_example-0_0_1-syncFunction_gcp-us-east4',
      'small_sync_example-0_0_1-syncfunction_gcp-us-east4',
      'small-sync-example-0-0-1-syncfunction-gcp-us-east4',
      `${'very_long_workflow_name_'.repeat(4)}-0_0_1-fn_gcp-northamerica-northeast1`,
      '9lives',
      'ab',
    ];
    const ids = names.map(googleFunctionId);
    for (const id of ids) expect(id).toMatch(VALID_ID);
    expect(new Set(ids).size).toBe(names.length);
    expect(ids[0]).toMatch(/^small-sync-example-0-0-1-initial-function-gcp-us-east4-[0-9a-f]{8}$/);
    // A name that is already a valid id is kept as it is.
    expect(ids[3]).toBe('small-sync-example-0-0-1-syncfunction-gcp-us-east4');
    expect(googleFunctionId(names[1]!)).toBe(ids[1]);
  });

  it('derives the topic and push subscription of a function copy from its resource name', () => {
    const identifier = functionResourceName('demo-caribou', 'us-east4', 'wf-fn-gcp-us-east4');
    expect(identifier).toBe('projects/demo-caribou/locations/us-east4/functions/wf-fn-gcp-us-east4');
    expect(parseFunctionResourceName(identifier)).toEqual({ projectId: 'demo-caribou', region: 'us-east4', functionId: 'wf-fn-gcp-us-east4' });
    const topic = topicOfFunction(identifier);
    expect(topic).toBe('projects/demo-caribou/topics/wf-fn-gcp-us-east4');
    expect(topicOfFunction(topic)).toBe(topic);
    expect(pushSubscriptionOfTopic(topic)).toBe('projects/demo-caribou/subscriptions/wf-fn-gcp-us-east4');
    expect(() => topicOfFunction('arn:aws:lambda:us-east-1:1:function:f')).toThrow(/is neither a Cloud Run function .* nor a Pub\/Sub topic/);
  });
});

describe('Google Cloud service account ids of our roles', () => {
  const VALID_ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;

  it('maps role names to 6–30 character ids, distinct even when they differ only in case or punctuation', () => {
    const roles = [
      'small_sync_example-0_0_1-syncFunction-role',
      'small_sync_example-0_0_1-syncfunction-role',
      'small-sync-example-0-0-1-syncfunction-role',
      'image_processing-0_0_1-getInput-role',
      'ab',
      '9-role',
      '_',
      'caribou-fn',
    ];
    const ids = roles.map(serviceAccountId);
    for (const id of ids) {
      expect(id).toMatch(VALID_ACCOUNT_ID);
      expect(id.length).toBeGreaterThanOrEqual(6);
      expect(id.length).toBeLessThanOrEqual(30);
    }
    expect(new Set(ids).size).toBe(roles.length);
    // A name that is already a valid id is kept as it is; a long one keeps its readable start.
    expect(serviceAccountId('caribou-fn')).toBe('caribou-fn');
    expect(ids[0]).toMatch(/^small-sync-example-0-[0-9a-f]{8}$/);
    expect(serviceAccountEmail('demo-caribou', 'caribou-fn')).toBe('caribou-fn@demo-caribou.iam.gserviceaccount.com');
  });
});
