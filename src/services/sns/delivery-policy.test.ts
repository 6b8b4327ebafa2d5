/** Delivery policies (delivery-policy.ts): the retry schedule of each phase and backoff function, the effective policy, and refused policies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../errors/aws-error.ts';
import { checkTopicDeliveryPolicy, DEFAULT_RETRY, effectivePolicy, retryDelaySeconds, type RetryPolicy } from './delivery-policy.ts';

const schedule = (p: RetryPolicy) => Array.from({ length: p.numRetries + 1 }, (_, i) => retryDelaySeconds(p, i + 1));

test("AWS's default: three retries 20 seconds apart, then none", () => {
  assert.deepEqual(schedule(DEFAULT_RETRY), [20, 20, 20, undefined]);
});

test('the four phases: immediate, minimum delay, backoff from minimum to maximum, maximum delay', () => {
  const base = { minDelayTarget: 1, maxDelayTarget: 61, numNoDelayRetries: 2, numMinDelayRetries: 1, numMaxDelayRetries: 2 };
  assert.deepEqual(schedule({ ...base, numRetries: 10, backoffFunction: 'linear' }), [0, 0, 1, 1, 16, 31, 46, 61, 61, 61, undefined]);
  const geometric = schedule({ ...base, numRetries: 8, backoffFunction: 'geometric' });
  assert.deepEqual(geometric.slice(0, 3), [0, 0, 1]);
  assert.equal(geometric[3], 1);
  assert.equal(geometric[5], 61);
  assert.ok((geometric[4] ?? 0) > 1 && (geometric[4] ?? 99) < 61);
  assert.deepEqual(geometric.slice(6), [61, 61, undefined]);
});

test('the effective policy: the subscription overrides the topic unless the topic forbids it', () => {
  const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 2, maxDelayTarget: 2, numRetries: 7 } } });
  const sub = JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 9, maxDelayTarget: 9, numRetries: 1 } });
  assert.equal(effectivePolicy(topic, undefined).retry.numRetries, 7);
  assert.equal(effectivePolicy(topic, sub).retry.numRetries, 1);
  const locked = JSON.stringify({ http: { disableSubscriptionOverrides: true, defaultHealthyRetryPolicy: { numRetries: 4 } } });
  assert.equal(effectivePolicy(locked, sub).retry.numRetries, 4);
  assert.deepEqual(effectivePolicy(undefined, undefined), { retry: DEFAULT_RETRY, contentType: 'text/plain; charset=UTF-8' });
});

test('refused policies answer InvalidParameter', () => {
  const refused = (p: unknown, message: string) =>
    assert.throws(
      () => checkTopicDeliveryPolicy(typeof p === 'string' ? p : JSON.stringify(p)),
      (e: unknown) => e instanceof AwsError && e.code === 'InvalidParameter' && e.message === message,
    );
  refused('{', 'Invalid parameter: DeliveryPolicy: failed to parse JSON');
  refused(
    { http: { defaultHealthyRetryPolicy: { numRetries: 101 } } },
    'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be an integer between 0 and 100',
  );
  refused(
    { http: { defaultHealthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 10 } } },
    'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget must be less than or equal to maxDelayTarget',
  );
  refused(
    { http: { defaultHealthyRetryPolicy: { backoffFunction: 'random' } } },
    'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential',
  );
  refused({ sqs: {} }, 'Invalid parameter: DeliveryPolicy: unsupported protocol sqs');
});
