/**
 * Topic and subscription attributes: which ones a caller may set, how each is checked, and what
 * Get…Attributes shows (https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html). docs/sns.md#attributes.
 */
import { parsePolicy } from '../../auth/policy/index.ts';
import type { Subscription, Topic } from '../../store/types.ts';
import { checkSubscriptionDeliveryPolicy, checkTopicDeliveryPolicy, DEFAULT_EFFECTIVE_POLICY, effectivePolicyJson } from './delivery-policy.ts';
import { invalidParameter } from './errors.ts';
import { FilterPolicyError, parseFilterPolicy, type FilterScope } from './filter-policy.ts';
import { parseQueueArn } from './arns.ts';
import { topicPolicy } from './policy.ts';

const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);
const TOPIC_SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'SignatureVersion',
  'TracingConfig',
  'KmsMasterKeyId',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  ...FEEDBACK,
]);

const bool = (v: string) => v.toLowerCase() === 'true' || v.toLowerCase() === 'false';

/** Checks one topic attribute (CreateTopic, SetTopicAttributes); returns the value to store. */
export function checkTopicAttribute(name: string, value: string, opts: { fifo: boolean; creating: boolean }): string {
  if (name === 'FifoTopic' && opts.creating) {
    if (!bool(value)) throw invalidParameter('Attributes Reason: FifoTopic: Invalid value');
    return value.toLowerCase();
  }
  if (!TOPIC_SETTABLE.has(name)) throw invalidParameter(opts.creating ? `Attributes Reason: Unknown attribute ${name}` : 'AttributeName');
  switch (name) {
    case 'Policy':
      try {
        parsePolicy(value, 'resource');
      } catch (e) {
        throw invalidParameter(`Policy Error: ${e instanceof Error ? e.message : 'null'}`);
      }
      return value;
    case 'DeliveryPolicy':
      if (value !== '') checkTopicDeliveryPolicy(value);
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter('SignatureVersion');
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter('TracingConfig');
      return value;
    case 'ContentBasedDeduplication':
      if (!opts.fifo) throw invalidParameter('ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics');
      if (!bool(value)) throw invalidParameter('ContentBasedDeduplication');
      return value.toLowerCase();
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter('DisplayName');
      return value;
    default:
      return value;
  }
}

export function topicAttributes(t: Topic, subs: Subscription[]): Record<string, string> {
  const pending = subs.filter((s) => !s.confirmed).length;
  const out: Record<string, string> = {
    Policy: topicPolicy(t),
    Owner: t.accountId,
    SubscriptionsPending: String(pending),
    TopicArn: t.arn,
    EffectiveDeliveryPolicy: t.attributes.DeliveryPolicy || DEFAULT_EFFECTIVE_POLICY,
    SubscriptionsConfirmed: String(subs.length - pending),
    DisplayName: t.attributes.DisplayName ?? '',
    SubscriptionsDeleted: '0',
  };
  for (const [k, v] of Object.entries(t.attributes)) if (k !== 'Policy' && k !== 'DisplayName' && v !== '') out[k] = v;
  if (t.attributes.FifoTopic === 'true') out.ContentBasedDeduplication = t.attributes.ContentBasedDeduplication ?? 'false';
  return out;
}

const SUBSCRIPTION_SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

/**
 * Checks one subscription attribute against the subscription's protocol and its other attributes
 * (`all`: the attributes as they will be); Subscribe's messages say `Attributes Reason:`.
 */
export function checkSubscriptionAttribute(name: string, value: string, protocol: string, all: Record<string, string>, subscribing: boolean): string {
  const reason = subscribing ? 'Attributes Reason: ' : '';
  if (!SUBSCRIPTION_SETTABLE.has(name)) throw invalidParameter(subscribing ? `Attributes Reason: Unknown attribute ${name}` : 'AttributeName');
  switch (name) {
    case 'RawMessageDelivery':
      if (!bool(value)) throw invalidParameter(`${reason}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(protocol)) throw invalidParameter(`${reason}Delivery protocol [${protocol}] does not support raw message delivery.`);
      return value.toLowerCase();
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody')
        throw invalidParameter(`${reason}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      if (all.FilterPolicy) checkFilterPolicy(all.FilterPolicy, value, reason);
      return value;
    case 'FilterPolicy':
      if (value !== '') checkFilterPolicy(value, (all.FilterPolicyScope ?? 'MessageAttributes') as FilterScope, reason);
      return value;
    case 'DeliveryPolicy':
      if (protocol !== 'http' && protocol !== 'https')
        throw invalidParameter(`${reason}DeliveryPolicy: only http and https subscriptions take a delivery policy`);
      if (value !== '') checkSubscriptionDeliveryPolicy(value);
      return value;
    case 'RedrivePolicy':
      if (value !== '') checkRedrivePolicy(value, reason);
      return value;
    default:
      return value;
  }
}

function checkFilterPolicy(text: string, scope: string, reason: string): void {
  try {
    parseFilterPolicy(text, scope as FilterScope);
  } catch (e) {
    if (e instanceof FilterPolicyError) throw invalidParameter(`${reason}${e.message}`);
    throw e;
  }
}

function checkRedrivePolicy(text: string, reason: string): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameter(`${reason}RedrivePolicy: failed to parse JSON.`);
  }
  const arn = (v as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  if (typeof arn !== 'string' || !parseQueueArn(arn)) throw invalidParameter(`${reason}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
}

export function subscriptionAttributes(s: Subscription, topic: Topic | undefined): Record<string, string> {
  const out: Record<string, string> = {
    Owner: s.owner,
    RawMessageDelivery: s.attributes.RawMessageDelivery ?? 'false',
    TopicArn: s.topicArn,
    Endpoint: s.endpoint,
    Protocol: s.protocol,
    PendingConfirmation: String(!s.confirmed),
    ConfirmationWasAuthenticated: String(s.confirmed && s.attributes.ConfirmationWasAuthenticated !== 'false'),
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${s.owner}:root`,
  };
  if (s.protocol === 'http' || s.protocol === 'https')
    out.EffectiveDeliveryPolicy = effectivePolicyJson(topic?.attributes.DeliveryPolicy || undefined, s.attributes.DeliveryPolicy || undefined);
  for (const [k, v] of Object.entries(s.attributes)) if (k !== 'ConfirmationWasAuthenticated' && k !== 'AuthenticateOnUnsubscribe' && v !== '') out[k] = v;
  if (out.FilterPolicy && !out.FilterPolicyScope) out.FilterPolicyScope = 'MessageAttributes';
  return out;
}
