/**
 * What each EventBridge call is authorized on (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html):
 * the bus, rule, connection or API destination ARN; list calls and TestEventPattern on `*`. A bus's
 * resource policy (PutPermission) is the resource policy of calls on it, so another account may
 * PutEvents to it. Condition keys: aws:RequestTag / aws:TagKeys where tags are given,
 * events:source / events:detail-type (PutEvents entries, PutRule patterns), events:TargetArn (PutTargets).
 */
import type { AuthorizationContext, AuthorizationTarget } from '../types.ts';
import { busArn, busRef, ruleArn } from './arns.ts';

export async function onBus(ctx: AuthorizationContext, given: string | undefined): Promise<AuthorizationTarget> {
  const ref = busRef(ctx, given);
  const bus = await ctx.store.eventBuses.getBus(ref.accountId, ref.region, ref.name);
  return { resource: busArn(ref.region, ref.accountId, ref.name), ...(bus?.policy ? { resourcePolicy: bus.policy } : {}) };
}

export function onRule(
  ctx: AuthorizationContext,
  busName: string | undefined,
  rule: string | undefined,
  keys?: AuthorizationTarget['keys'],
): AuthorizationTarget {
  const ref = busRef(ctx, busName);
  return { resource: ruleArn(ref.region, ref.accountId, ref.name, rule ?? ''), ...(keys ? { keys } : {}) };
}

/** aws:RequestTag/<key> and aws:TagKeys for calls that take tags. */
export function tagKeys(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  if (!tags?.length) return keys;
  for (const t of tags) if (t.Key !== undefined) keys[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  keys['aws:TagKeys'] = tags.flatMap((t) => (t.Key !== undefined ? [t.Key] : []));
  return keys;
}

/** events:source and events:detail-type of a rule's pattern: its top-level string values for them. */
export function patternKeys(pattern: string | undefined): Record<string, string[]> {
  if (!pattern) return {};
  let p: unknown;
  try {
    p = JSON.parse(pattern);
  } catch {
    return {};
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) return {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const o = p as Record<string, unknown>;
  const keys: Record<string, string[]> = {};
  if (strings(o.source).length) keys['events:source'] = strings(o.source);
  if (strings(o['detail-type']).length) keys['events:detail-type'] = strings(o['detail-type']);
  return keys;
}
