/**
 * HTTP/S delivery policies and their retry schedule, as "Amazon SNS message delivery retries"
 * describes (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-custom-delivery-policy.html): a topic's
 * `DeliveryPolicy` has `http.defaultHealthyRetryPolicy` (and may forbid subscription overrides), a
 * subscription's has `healthyRetryPolicy`. A retry policy runs four phases — immediate retries, retries
 * at the minimum delay, the backoff phase from the minimum to the maximum delay, retries at the
 * maximum delay — `numRetries` retries in all after the first attempt. docs/sns.md#delivery.
 */
import { invalidParameter } from './errors.ts';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

/** AWS's default for HTTP/S: 3 retries, 20 s apart. */
export const DEFAULT_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** What GetTopicAttributes / GetSubscriptionAttributes show as `EffectiveDeliveryPolicy` when nothing is set. */
export const DEFAULT_EFFECTIVE_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: DEFAULT_RETRY,
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE },
  },
});

const BACKOFF = ['linear', 'arithmetic', 'geometric', 'exponential'];
const CONTENT_TYPES = ['text/plain', 'application/json', 'application/xml', 'text/plain; charset=UTF-8', 'application/json; charset=UTF-8'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function retryPolicy(v: unknown, where: string): RetryPolicy {
  const bad = (why: string) => invalidParameter(`DeliveryPolicy: ${where}.${why}`);
  if (!isObj(v)) throw bad('must be an object');
  const num = (k: keyof RetryPolicy, min: number, max: number, dflt: number): number => {
    const x = v[k] ?? dflt;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw bad(`${k} must be an integer between ${min} and ${max}`);
    return x;
  };
  const p: RetryPolicy = {
    minDelayTarget: num('minDelayTarget', 1, 3600, DEFAULT_RETRY.minDelayTarget),
    maxDelayTarget: num('maxDelayTarget', 1, 3600, DEFAULT_RETRY.maxDelayTarget),
    numRetries: num('numRetries', 0, 100, DEFAULT_RETRY.numRetries),
    numNoDelayRetries: num('numNoDelayRetries', 0, 100, 0),
    numMinDelayRetries: num('numMinDelayRetries', 0, 100, 0),
    numMaxDelayRetries: num('numMaxDelayRetries', 0, 100, 0),
    backoffFunction: (v.backoffFunction ?? 'linear') as RetryPolicy['backoffFunction'],
  };
  if (!BACKOFF.includes(p.backoffFunction)) throw bad(`backoffFunction must be one of ${BACKOFF.join(', ')}`);
  if (p.minDelayTarget > p.maxDelayTarget) throw bad('minDelayTarget must be less than or equal to maxDelayTarget');
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries)
    throw bad('numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries');
  return p;
}

function parse(text: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameter('DeliveryPolicy: failed to parse JSON');
  }
  if (!isObj(v)) throw invalidParameter('DeliveryPolicy: must be a JSON object');
  return v;
}

function requestPolicy(v: unknown, where: string): void {
  if (v === undefined) return;
  if (!isObj(v) || (v.headerContentType !== undefined && !CONTENT_TYPES.includes(String(v.headerContentType))))
    throw invalidParameter(`DeliveryPolicy: ${where}.headerContentType must be one of ${CONTENT_TYPES.join(', ')}`);
}

/** Checks a topic's DeliveryPolicy (`{"http": {...}}`). */
export function checkTopicDeliveryPolicy(text: string): void {
  const v = parse(text);
  for (const k of Object.keys(v)) if (k !== 'http') throw invalidParameter(`DeliveryPolicy: unsupported protocol ${k}`);
  if (v.http === undefined) return;
  if (!isObj(v.http)) throw invalidParameter('DeliveryPolicy: http must be an object');
  if (v.http.defaultHealthyRetryPolicy !== undefined) retryPolicy(v.http.defaultHealthyRetryPolicy, 'http.defaultHealthyRetryPolicy');
  if (v.http.disableSubscriptionOverrides !== undefined && typeof v.http.disableSubscriptionOverrides !== 'boolean')
    throw invalidParameter('DeliveryPolicy: http.disableSubscriptionOverrides must be a boolean');
  requestPolicy(v.http.defaultRequestPolicy, 'http.defaultRequestPolicy');
}

/** Checks a subscription's DeliveryPolicy (`{"healthyRetryPolicy": {...}}`). */
export function checkSubscriptionDeliveryPolicy(text: string): void {
  const v = parse(text);
  if (v.healthyRetryPolicy !== undefined) retryPolicy(v.healthyRetryPolicy, 'healthyRetryPolicy');
  requestPolicy(v.requestPolicy, 'requestPolicy');
}

/** The policy that governs a subscription's HTTP/S deliveries: its own unless the topic forbids overrides, else the topic's, else AWS's default. */
export function effectivePolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): { retry: RetryPolicy; contentType: string } {
  const topic = topicPolicy ? (parse(topicPolicy).http as Obj | undefined) : undefined;
  const sub = subscriptionPolicy ? parse(subscriptionPolicy) : undefined;
  const overrides = !(topic?.disableSubscriptionOverrides === true);
  const retrySource = (overrides ? sub?.healthyRetryPolicy : undefined) ?? topic?.defaultHealthyRetryPolicy;
  const requestSource = ((overrides ? sub?.requestPolicy : undefined) ?? topic?.defaultRequestPolicy) as Obj | undefined;
  return {
    retry: retrySource ? retryPolicy(retrySource, 'healthyRetryPolicy') : DEFAULT_RETRY,
    contentType: typeof requestSource?.headerContentType === 'string' ? requestSource.headerContentType : DEFAULT_CONTENT_TYPE,
  };
}

/** The effective policy as GetSubscriptionAttributes shows it. */
export function effectivePolicyJson(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): string {
  const { retry, contentType } = effectivePolicy(topicPolicy, subscriptionPolicy);
  return JSON.stringify({
    healthyRetryPolicy: retry,
    sicklyRetryPolicy: null,
    throttlePolicy: null,
    requestPolicy: { headerContentType: contentType },
    guaranteed: false,
  });
}

/**
 * Seconds to wait before retry number `retry` (1-based), or undefined once the policy's retries are
 * spent (the message is then dropped, or sent to the subscription's dead-letter queue).
 */
export function retryDelaySeconds(p: RetryPolicy, retry: number): number | undefined {
  if (retry < 1 || retry > p.numRetries) return undefined;
  if (retry <= p.numNoDelayRetries) return 0;
  if (retry <= p.numNoDelayRetries + p.numMinDelayRetries) return p.minDelayTarget;
  const backoff = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  const i = retry - p.numNoDelayRetries - p.numMinDelayRetries;
  if (i > backoff) return p.maxDelayTarget;
  if (backoff <= 1) return backoff === 1 ? p.minDelayTarget : p.maxDelayTarget;
  const f = (i - 1) / (backoff - 1);
  const { minDelayTarget: lo, maxDelayTarget: hi } = p;
  switch (p.backoffFunction) {
    case 'linear':
    case 'arithmetic':
      return Math.round(lo + (hi - lo) * f);
    case 'geometric':
      return Math.round(lo * (hi / lo) ** f);
    case 'exponential':
      return Math.round(lo + ((hi - lo) * (2 ** (f * 4) - 1)) / 15);
  }
}
