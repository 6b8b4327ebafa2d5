/**
 * Who may call what (docs/logs.md#authorization): `logs:<Operation>` on the resource the Service
 * Authorization Reference names for it
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
 * Group-level actions are evaluated on `…:log-group:<name>:*`, the form AWS's own policy examples
 * grant (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-identity-based-access-control-cwl.html),
 * so a policy on `log-group:<name>:*` covers the group and its streams; stream-level actions on
 * the stream's ARN; DescribeLogGroups on `…:log-group:*`; account-level calls on `*`.
 */
import type { AuditResource, AuthorizationContext, AuthorizationTarget, OperationContext } from '../types.ts';
import { groupArn, groupNameOf, streamArn } from './names.ts';

/** The group an input names: logGroupName, else logGroupIdentifier (name or ARN). */
export function groupOfInput(input: { logGroupName?: unknown; logGroupIdentifier?: unknown }): string {
  if (typeof input.logGroupName === 'string') return input.logGroupName;
  if (typeof input.logGroupIdentifier === 'string') return groupNameOf(input.logGroupIdentifier);
  return '';
}

const tagKeys = (tags: unknown): Record<string, string | string[]> => {
  if (typeof tags !== 'object' || tags === null) return {};
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length === 0) return {};
  const keys: Record<string, string | string[]> = {};
  for (const [k, v] of entries) keys[`aws:RequestTag/${k}`] = typeof v === 'string' ? v : '';
  keys['aws:TagKeys'] = entries.map(([k]) => k);
  return keys;
};

/** The action on the input's group (`…:log-group:<name>:*`), with the request's tags as condition keys. */
export function onGroup(action?: string) {
  return (input: { logGroupName?: unknown; logGroupIdentifier?: unknown; tags?: unknown }, ctx: AuthorizationContext): AuthorizationTarget => ({
    ...(action ? { action } : {}),
    resource: groupOfInput(input) ? `${groupArn(ctx.region, ctx.accountId, groupOfInput(input))}:*` : `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:*`,
    keys: tagKeys(input.tags),
  });
}

/** The action on the input's stream. */
export function onStream(
  input: { logGroupName?: unknown; logGroupIdentifier?: unknown; logStreamName?: unknown },
  ctx: AuthorizationContext,
): AuthorizationTarget {
  const stream = typeof input.logStreamName === 'string' ? input.logStreamName : '';
  return { resource: streamArn(ctx.region, ctx.accountId, groupOfInput(input), stream) };
}

/** TagResource & co.: the ARN the call names (a log group's), with the request's tags / tag keys. */
export function onArn(input: { resourceArn?: unknown; tags?: unknown; tagKeys?: unknown }): AuthorizationTarget {
  const arn = typeof input.resourceArn === 'string' ? input.resourceArn : '*';
  const keys = tagKeys(input.tags);
  if (Array.isArray(input.tagKeys)) keys['aws:TagKeys'] = input.tagKeys.filter((k): k is string => typeof k === 'string');
  return { resource: arn, keys };
}

/** The CloudTrail resource of a call on a group (AWS::Logs::LogGroup, its ARN without `:*`). */
export function groupResource(input: { logGroupName?: unknown; logGroupIdentifier?: unknown }, ctx: OperationContext): AuditResource[] {
  const name = groupOfInput(input);
  return name ? [{ accountId: ctx.accountId, type: 'AWS::Logs::LogGroup', ARN: groupArn(ctx.region, ctx.accountId, name) }] : [];
}
