/**
 * Who may call what (docs/sqs.md#authorization): each call is `sqs:<Action>` on the queue's ARN,
 * the queue's Policy as its resource-based policy
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html; the batch
 * calls are authorized as their single actions:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html).
 */
import type { Queue } from '../../store/types.ts';
import type { AuthorizationContext, AuthorizationTarget, OperationContext } from '../types.ts';
import { missingParameter, queueDoesNotExist } from './errors.ts';
import { queueArn, refFromUrl, type QueueRef } from './names.ts';

function tryRef(url: unknown): QueueRef | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return refFromUrl(url);
  } catch {
    return undefined;
  }
}

/** `sqs:<action>` on the queue the input's QueueUrl names, with the queue's policy. */
export function onQueue(action?: string) {
  return async (input: { QueueUrl?: unknown }, ctx: AuthorizationContext): Promise<AuthorizationTarget> => {
    const ref = tryRef(input.QueueUrl);
    if (!ref) return { ...(action ? { action } : {}), resource: '*' };
    const q = await ctx.store.queues.getQueue(ref.accountId, ref.name);
    return {
      ...(action ? { action } : {}),
      resource: q?.arn ?? queueArn(ctx.region, ref.accountId, ref.name),
      ...(q?.attributes.Policy ? { resourcePolicy: q.attributes.Policy } : {}),
    };
  };
}

/** The queue the QueueUrl names: MissingParameter, InvalidAddress or QueueDoesNotExist otherwise. */
export async function queueFor(ctx: OperationContext, url: string | undefined): Promise<Queue> {
  if (url === undefined || url === '') throw missingParameter('QueueUrl');
  const ref = refFromUrl(url);
  const q = ref.accountId === ctx.accountId ? await ctx.store.queues.getQueue(ref.accountId, ref.name) : undefined;
  if (!q) throw queueDoesNotExist();
  return q;
}

export const queueResource = (q: { arn: string; accountId: string }) => [{ accountId: q.accountId, type: 'AWS::SQS::Queue', ARN: q.arn }];

/** The resources of a record, from the input's QueueUrl (as the call named it). */
export function resourcesOf(input: { QueueUrl?: string }, ctx: OperationContext) {
  const ref = tryRef(input.QueueUrl);
  return ref ? queueResource({ accountId: ref.accountId, arn: queueArn(ctx.region, ref.accountId, ref.name) }) : [];
}
