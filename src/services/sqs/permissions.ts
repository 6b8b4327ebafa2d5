/**
 * AddPermission / RemovePermission (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html):
 * statements of the queue's Policy named by their label (Sid), allowing the given accounts the
 * given SQS actions on the queue. The Policy is then the queue's resource policy like any other.
 */
import type { Queue } from '../../store/types.ts';
import type { OperationDefs } from '../types.ts';
import { onQueue, queueFor, resourcesOf } from './access.ts';
import { invalidValue, missingParameter, overLimit } from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
/** The actions AddPermission grants (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html). */
const ACTIONS = new Set([
  '*',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ListQueueTags',
]);
const MAX_STATEMENTS = 7;

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}
type Policy = { Version?: string; Id?: string; Statement?: Statement[] | Statement };

function statements(q: Queue): { policy: Policy; list: Statement[] } {
  const policy = (q.attributes.Policy ? JSON.parse(q.attributes.Policy) : { Version: '2012-10-17', Id: `${q.arn}/SQSDefaultPolicy` }) as Policy;
  const list = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  return { policy, list };
}

export const permissionOps = {
  AddPermission: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'AddPermission'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      if (!input.Label) throw missingParameter('Label');
      if (!input.AWSAccountIds?.length) throw missingParameter('AWSAccountId.1');
      if (!input.Actions?.length) throw missingParameter('ActionName.1');
      if (!LABEL.test(input.Label))
        throw invalidValue('Label', input.Label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      for (const a of input.AWSAccountIds) if (!/^\d{12}$/.test(a)) throw invalidValue('AWSAccountId', a, 'An AWS account id is 12 digits.');
      for (const a of input.Actions)
        if (!ACTIONS.has(a)) throw invalidValue('ActionName', a, 'Please refer to the appropriate WSDL for a list of valid actions.');
      const { policy, list } = statements(q);
      if (list.some((s) => s.Sid === input.Label)) throw invalidValue('Label', input.Label, 'Already exists.');
      if (list.length >= MAX_STATEMENTS) throw overLimit(`${MAX_STATEMENTS} statements are the most a queue's policy may have through AddPermission.`);
      const principals = input.AWSAccountIds.map((a) => `arn:aws:iam::${a}:root`);
      list.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: input.Actions.map((a) => `SQS:${a}`),
        Resource: q.arn,
      });
      const Policy = JSON.stringify({ ...policy, Version: policy.Version ?? '2012-10-17', Statement: list });
      await ctx.store.queues.updateQueue(q.accountId, q.name, { attributes: { ...q.attributes, Policy }, modifiedAt: ctx.now });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  RemovePermission: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'RemovePermission'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      if (!input.Label) throw missingParameter('Label');
      const { policy, list } = statements(q);
      const rest = list.filter((s) => s.Sid !== input.Label);
      if (rest.length === list.length) throw invalidValue('Label', input.Label, "can't find label.");
      const attributes = { ...q.attributes };
      if (rest.length) attributes.Policy = JSON.stringify({ ...policy, Statement: rest });
      else delete attributes.Policy;
      await ctx.store.queues.updateQueue(q.accountId, q.name, { attributes, modifiedAt: ctx.now });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },
} satisfies OperationDefs<Ops, 'AddPermission' | 'RemovePermission'>;
