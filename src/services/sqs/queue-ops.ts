/**
 * Queue operations (docs/sqs.md#queues): CreateQueue, GetQueueUrl, ListQueues, Get/SetQueueAttributes,
 * DeleteQueue, PurgeQueue, tags, ListDeadLetterSourceQueues, as the SQS API Reference describes them
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html).
 */
import type { Queue } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onQueue, queueFor, queueResource, resourcesOf } from './access.ts';
import { checkAttributes, differingAttribute, PURGED_AT, redrivePolicy, reportAttributes } from './attributes.ts';
import {
  invalidParameterValue,
  invalidValue,
  missingParameter,
  overLimit,
  purgeInProgress,
  queueDeletedRecently,
  queueDoesNotExist,
  queueNameExists,
} from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { checkQueueName, queueArn, queueUrl, refFromArn } from './names.ts';

/** QueueDeletedRecently, PurgeQueue's once-per-minute: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html */
const MINUTE_MS = 60_000;
const MAX_TAGS = 50;

const urlOf = (ctx: OperationContext, q: Queue) => queueUrl(ctx.config, q.accountId, q.name);
/** The attributes as stored: the given ones over the old, empty values removing one. */
const merged = (old: Record<string, string>, given: Record<string, string>) => {
  const out = { ...old, ...given };
  for (const [k, v] of Object.entries(given)) if (v === '' && k !== 'Policy') delete out[k];
  return out;
};

/**
 * The dead-letter queue's RedriveAllowPolicy decides which source queues may use it: allowAll (the
 * default), denyAll, or byQueue with its sourceQueueArns
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 */
function redriveAllowed(dlq: Queue, sourceArn: string): boolean {
  const text = dlq.attributes.RedriveAllowPolicy;
  if (!text) return true;
  try {
    const p = JSON.parse(text) as { redrivePermission?: unknown; sourceQueueArns?: unknown };
    if (p.redrivePermission === 'denyAll') return false;
    if (p.redrivePermission === 'byQueue') return Array.isArray(p.sourceQueueArns) && p.sourceQueueArns.includes(sourceArn);
    return true;
  } catch {
    return true;
  }
}

async function checkRedrive(ctx: OperationContext, q: { fifo: boolean; arn: string }, attrs: Record<string, string>): Promise<void> {
  const text = attrs.RedrivePolicy;
  if (!text) return;
  const bad = (reason: string) => invalidValue('RedrivePolicy', text, reason);
  const p = redrivePolicy({ attributes: { RedrivePolicy: text } } as unknown as Queue);
  if (!p) throw bad('Redrive policy is not a valid JSON map of deadLetterTargetArn and maxReceiveCount.');
  if (p.maxReceiveCount < 1 || p.maxReceiveCount > 1000) throw bad('Invalid value for maxReceiveCount: must be between 1 and 1000.');
  const ref = refFromArn(p.deadLetterTargetArn);
  const dlq = ref && (await ctx.store.queues.getQueue(ref.accountId, ref.name));
  if (!dlq) throw bad('Dead letter target does not exist.');
  if (dlq.fifo !== q.fifo) throw bad('Dead-letter queue must be same type of queue as the source.');
  if (!redriveAllowed(dlq, q.arn)) throw bad("The dead-letter queue's RedriveAllowPolicy does not allow this source queue.");
}

function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw overLimit(`Too many tags added for queue. The maximum is ${MAX_TAGS}.`);
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== 'string') throw invalidParameterValue(`Tag ${k} has no value.`);
    if (k.length < 1 || k.length > 128) throw invalidParameterValue(`Tag key must be between 1 and 128 characters.`);
    if (v.length > 256) throw invalidParameterValue(`Tag value must be at most 256 characters.`);
  }
}

/** ListQueues / ListDeadLetterSourceQueues paging: the token is the last name of the page. */
const encodeToken = (name: string) => Buffer.from(JSON.stringify({ after: name })).toString('base64');
function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const o = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof o.after === 'string') return o.after;
  } catch {
    /* below */
  }
  throw invalidParameterValue('Invalid NextToken value.');
}
function maxResults(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (n < 1 || n > 1000) throw invalidValue('MaxResults', n, 'MaxResults must be an integer between 1 and 1000.');
  return n;
}

export const queueOps = {
  CreateQueue: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: queueArn(ctx.region, ctx.accountId, input.QueueName ?? '') }),
    async handler(input, ctx): Promise<Output<'CreateQueue'>> {
      if (!input.QueueName) throw missingParameter('QueueName');
      const { fifo } = checkQueueName(input.QueueName);
      const given = checkAttributes(input.Attributes ?? {}, fifo, true);
      if (given.FifoQueue === 'true' && !fifo)
        throw invalidParameterValue(
          'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
        );
      if (fifo && given.FifoQueue !== 'true')
        throw invalidParameterValue(
          'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
        );
      const tags = input.tags ?? {};
      checkTags(tags);
      const existing = await ctx.store.queues.getQueue(ctx.accountId, input.QueueName);
      if (existing) {
        const diff = differingAttribute(existing, given);
        if (diff) throw queueNameExists(diff);
        return { QueueUrl: urlOf(ctx, existing) };
      }
      const deleted = await ctx.store.queues.deletedAt(ctx.accountId, input.QueueName);
      if (deleted && ctx.now.getTime() - deleted.getTime() < MINUTE_MS) throw queueDeletedRecently();
      await checkRedrive(ctx, { fifo, arn: queueArn(ctx.region, ctx.accountId, input.QueueName) }, given);
      const attributes = merged({}, given);
      delete attributes.FifoQueue;
      const q: Queue = {
        accountId: ctx.accountId,
        name: input.QueueName,
        arn: queueArn(ctx.region, ctx.accountId, input.QueueName),
        fifo,
        attributes,
        tags,
        createdAt: ctx.now,
        modifiedAt: ctx.now,
      };
      if (!(await ctx.store.queues.createQueue(q))) {
        // created by a concurrent call: the same answer as for an existing queue
        const now = (await ctx.store.queues.getQueue(ctx.accountId, input.QueueName))!;
        const diff = differingAttribute(now, given);
        if (diff) throw queueNameExists(diff);
      }
      return { QueueUrl: urlOf(ctx, q) };
    },
    resources: (input, _o, ctx) => queueResource({ accountId: ctx.accountId, arn: queueArn(ctx.region, ctx.accountId, input.QueueName ?? '') }),
  },

  GetQueueUrl: {
    readOnly: true,
    authorize: (input, ctx) => ({ resource: queueArn(ctx.region, input.QueueOwnerAWSAccountId ?? ctx.accountId, input.QueueName ?? '') }),
    async handler(input, ctx): Promise<Output<'GetQueueUrl'>> {
      if (!input.QueueName) throw missingParameter('QueueName');
      const account = input.QueueOwnerAWSAccountId ?? ctx.accountId;
      const q = account === ctx.accountId ? await ctx.store.queues.getQueue(account, input.QueueName) : undefined;
      if (!q) throw queueDoesNotExist();
      return { QueueUrl: urlOf(ctx, q) };
    },
    resources: (input, _o, ctx) =>
      queueResource({
        accountId: input.QueueOwnerAWSAccountId ?? ctx.accountId,
        arn: queueArn(ctx.region, input.QueueOwnerAWSAccountId ?? ctx.accountId, input.QueueName ?? ''),
      }),
  },

  ListQueues: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListQueues'>> {
      const limit = maxResults(input.MaxResults);
      const after = decodeToken(input.NextToken);
      const page = await ctx.store.queues.listQueues(ctx.accountId, {
        ...(input.QueueNamePrefix ? { prefix: input.QueueNamePrefix } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: (limit ?? 1000) + 1,
      });
      const shown = page.slice(0, limit ?? 1000);
      const more = limit !== undefined && page.length > limit;
      return {
        ...(shown.length ? { QueueUrls: shown.map((q) => urlOf(ctx, q)) } : {}),
        ...(more ? { NextToken: encodeToken(shown[shown.length - 1]!.name) } : {}),
      };
    },
  },

  GetQueueAttributes: {
    readOnly: true,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'GetQueueAttributes'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const names = (input.AttributeNames ?? []) as string[];
      if (!names.length) return {};
      const counts = await ctx.store.queues.counts(q.accountId, q.name, ctx.now);
      const attrs = reportAttributes(q, names, counts);
      return Object.keys(attrs).length ? { Attributes: attrs } : {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  SetQueueAttributes: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'SetQueueAttributes'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      if (!input.Attributes) throw missingParameter('Attribute.1.Name');
      const given = checkAttributes(input.Attributes, q.fifo, false);
      await checkRedrive(ctx, q, given);
      await ctx.store.queues.updateQueue(q.accountId, q.name, { attributes: merged(q.attributes, given), modifiedAt: ctx.now });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  DeleteQueue: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'DeleteQueue'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      await ctx.store.queues.deleteQueue(q.accountId, q.name, ctx.now);
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  PurgeQueue: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'PurgeQueue'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const last = Number(q.attributes[PURGED_AT] ?? 0);
      if (last && ctx.now.getTime() - last < MINUTE_MS) throw purgeInProgress(q.arn);
      await ctx.store.queues.purge(q.accountId, q.name);
      await ctx.store.queues.updateQueue(q.accountId, q.name, {
        attributes: { ...q.attributes, [PURGED_AT]: String(ctx.now.getTime()) },
        modifiedAt: q.modifiedAt,
      });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  TagQueue: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'TagQueue'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      if (!input.Tags) throw missingParameter('Tags');
      const tags = { ...q.tags, ...input.Tags };
      checkTags(tags);
      await ctx.store.queues.updateQueue(q.accountId, q.name, { tags, modifiedAt: q.modifiedAt });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  UntagQueue: {
    readOnly: false,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'UntagQueue'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      if (!input.TagKeys) throw missingParameter('TagKeys');
      const tags = { ...q.tags };
      for (const k of input.TagKeys) delete tags[k];
      await ctx.store.queues.updateQueue(q.accountId, q.name, { tags, modifiedAt: q.modifiedAt });
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  ListQueueTags: {
    readOnly: true,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'ListQueueTags'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      return Object.keys(q.tags).length ? { Tags: q.tags } : {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  ListDeadLetterSourceQueues: {
    readOnly: true,
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'ListDeadLetterSourceQueues'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const limit = maxResults(input.MaxResults);
      let after = decodeToken(input.NextToken);
      const found: Queue[] = [];
      // every queue is read in pages of names; a handful of queues per account is the expected size
      for (;;) {
        const page = await ctx.store.queues.listQueues(ctx.accountId, { ...(after !== undefined ? { after } : {}), limit: 500 });
        for (const s of page) if (redrivePolicy(s)?.deadLetterTargetArn === q.arn) found.push(s);
        if (page.length < 500 || (limit !== undefined && found.length > limit)) break;
        after = page[page.length - 1]!.name;
      }
      const shown = limit !== undefined ? found.slice(0, limit) : found;
      const more = limit !== undefined && found.length > limit;
      return {
        queueUrls: shown.map((s) => urlOf(ctx, s)),
        ...(more ? { NextToken: encodeToken(shown[shown.length - 1]!.name) } : {}),
      };
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },
} satisfies OperationDefs<
  Ops,
  | 'CreateQueue'
  | 'GetQueueUrl'
  | 'ListQueues'
  | 'GetQueueAttributes'
  | 'SetQueueAttributes'
  | 'DeleteQueue'
  | 'PurgeQueue'
  | 'TagQueue'
  | 'UntagQueue'
  | 'ListQueueTags'
  | 'ListDeadLetterSourceQueues'
>;
