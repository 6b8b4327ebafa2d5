/**
 * What each SNS call is authorized on (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html):
 * the topic's ARN, with the topic's access policy as the resource policy; subscription calls are
 * authorized on their topic; ListTopics / ListSubscriptions on `*`. Actions are spelled `SNS:<Op>`,
 * as SNS's denials name them.
 */
import type { Topic } from '../../store/types.ts';
import type { AuthorizationContext, AuthorizationTarget } from '../types.ts';
import { parseSubscriptionArn } from './arns.ts';
import { topicPolicy } from './policy.ts';

export async function onTopic(ctx: AuthorizationContext, arn: string | undefined): Promise<AuthorizationTarget> {
  const topic: Topic | undefined = arn ? await ctx.store.topics.getTopic(arn) : undefined;
  return { resource: arn || '*', ...(topic ? { resourcePolicy: topicPolicy(topic) } : {}) };
}

export async function onSubscription(ctx: AuthorizationContext, arn: string | undefined): Promise<AuthorizationTarget> {
  return onTopic(ctx, arn ? parseSubscriptionArn(arn)?.topicArn : undefined);
}

/** aws:RequestTag/<key> and aws:TagKeys for calls that take tags. */
export function tagKeys(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  if (!tags?.length) return keys;
  for (const t of tags) if (t.Key !== undefined) keys[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  keys['aws:TagKeys'] = tags.flatMap((t) => (t.Key !== undefined ? [t.Key] : []));
  return keys;
}
