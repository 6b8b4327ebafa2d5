/**
 * Topic operations (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html and the pages
 * of DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes, AddPermission,
 * RemovePermission). CreateTopic is idempotent for the same name, attributes and tags; DeleteTopic of
 * a topic that does not exist succeeds, as AWS documents. docs/sns.md#topics.
 */
import type { Topic } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { isFifoName, parseTopicArn, topicArn, validTopicName } from './arns.ts';
import { onTopic, tagKeys } from './access.ts';
import { checkTopicAttribute, topicAttributes } from './attributes.ts';
import { invalidParameter, tagLimitExceeded, topicLimitExceeded, topicNotFound } from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { decodeToken, encodeToken, PAGE_SIZE } from './pagination.ts';
import { topicPolicy } from './policy.ts';

/** Topics per account and region (https://docs.aws.amazon.com/general/latest/gr/sns.html#limits_sns). */
export const MAX_TOPICS = 100_000;
export const MAX_TAGS = 50;

const resource = (arn: string, ctx: OperationContext) => [{ accountId: ctx.accountId, type: 'AWS::SNS::Topic', ARN: arn }];

/** The topic of a TopicArn the caller sent: InvalidParameter when it is no topic ARN, NotFound when there is no such topic. */
export async function findTopic(ctx: OperationContext, arn: string, member = 'TopicArn'): Promise<Topic> {
  if (!parseTopicArn(arn)) throw invalidParameter(member);
  const t = await ctx.store.topics.getTopic(arn);
  if (!t) throw topicNotFound();
  return t;
}

export async function allSubscriptionsOf(ctx: OperationContext, topic: Topic) {
  const out = [];
  let after: string | undefined;
  do {
    const page = await ctx.store.topics.listSubscriptions({ accountId: topic.accountId, region: topic.region, topicArn: topic.arn }, after, 1000);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

const sameTags = (a: { Key: string; Value: string }[], b: { Key: string; Value: string }[]) =>
  a.length === b.length && a.every((t) => b.some((u) => u.Key === t.Key && u.Value === t.Value));

export const topicHandlers = {
  CreateTopic: {
    readOnly: false,
    authorize: (input, ctx) => ({ resource: topicArn(ctx.region, ctx.accountId, input.Name ?? ''), keys: tagKeys(input.Tags) }),
    async handler(input, ctx): Promise<Output<'CreateTopic'>> {
      const given = input.Attributes ?? {};
      const fifo = (given.FifoTopic ?? '').toLowerCase() === 'true';
      if (!validTopicName(input.Name, fifo || isFifoName(input.Name))) throw invalidParameter('Topic Name');
      if (isFifoName(input.Name) !== fifo)
        throw invalidParameter(fifo ? 'Topic Name' : 'Attributes Reason: FifoTopic: the name of a FIFO topic must end with .fifo');
      const attributes: Record<string, string> = {};
      // an entry sent without a value (`Attributes.entry.1.key` alone) has the empty value
      for (const [k, v] of Object.entries(given)) attributes[k] = checkTopicAttribute(k, v ?? '', { fifo, creating: true });
      if (!fifo) delete attributes.FifoTopic;
      const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
      if (tags.length > MAX_TAGS) throw tagLimitExceeded();
      const arn = topicArn(ctx.region, ctx.accountId, input.Name);
      const existing = await ctx.store.topics.getTopic(arn);
      if (existing) {
        if (Object.entries(attributes).some(([k, v]) => (existing.attributes[k] ?? '') !== v))
          throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
        if (input.Tags !== undefined && !sameTags(tags, existing.tags)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
        return { TopicArn: arn };
      }
      if ((await ctx.store.topics.countTopics(ctx.accountId, ctx.region)) >= MAX_TOPICS) throw topicLimitExceeded();
      await ctx.store.topics.createTopic({ arn, accountId: ctx.accountId, region: ctx.region, name: input.Name, attributes, tags, createdAt: ctx.now });
      return { TopicArn: arn };
    },
    resources: (_input, out, ctx) => (out?.TopicArn ? resource(out.TopicArn, ctx) : []),
  },

  DeleteTopic: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'DeleteTopic'>> {
      if (!parseTopicArn(input.TopicArn)) throw invalidParameter('TopicArn');
      await ctx.store.topics.deleteTopic(input.TopicArn);
      return {};
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  ListTopics: {
    readOnly: true,
    async handler(input, ctx): Promise<Output<'ListTopics'>> {
      const page = await ctx.store.topics.listTopics(ctx.accountId, ctx.region, decodeToken(input.NextToken), PAGE_SIZE);
      return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), ...(page.next ? { NextToken: encodeToken(page.next) } : {}) };
    },
  },

  GetTopicAttributes: {
    readOnly: true,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'GetTopicAttributes'>> {
      const t = await findTopic(ctx, input.TopicArn);
      return { Attributes: topicAttributes(t, await allSubscriptionsOf(ctx, t)) };
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  SetTopicAttributes: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'SetTopicAttributes'>> {
      const t = await findTopic(ctx, input.TopicArn);
      const value = checkTopicAttribute(input.AttributeName, input.AttributeValue ?? '', { fifo: t.attributes.FifoTopic === 'true', creating: false });
      const attributes = { ...t.attributes };
      if (value === '' && input.AttributeName !== 'DisplayName') delete attributes[input.AttributeName];
      else attributes[input.AttributeName] = value;
      await ctx.store.topics.updateTopic(t.arn, { attributes });
      return {};
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  AddPermission: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'AddPermission'>> {
      const t = await findTopic(ctx, input.TopicArn);
      const doc = JSON.parse(topicPolicy(t)) as { Statement: { Sid?: string }[] };
      if (doc.Statement.some((s) => s.Sid === input.Label)) throw invalidParameter('Statement already exists');
      if (!input.AWSAccountId.length || !input.ActionName.length) throw invalidParameter('Policy statement must name at least one account and one action');
      doc.Statement.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: input.AWSAccountId.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a)) },
        Action: input.ActionName.map((a) => `SNS:${a}`),
        Resource: t.arn,
      } as { Sid: string });
      await ctx.store.topics.updateTopic(t.arn, { attributes: { ...t.attributes, Policy: JSON.stringify(doc) } });
      return {};
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },

  RemovePermission: {
    readOnly: false,
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'RemovePermission'>> {
      const t = await findTopic(ctx, input.TopicArn);
      const doc = JSON.parse(topicPolicy(t)) as { Statement: { Sid?: string }[] };
      const kept = doc.Statement.filter((s) => s.Sid !== input.Label);
      if (kept.length !== doc.Statement.length)
        await ctx.store.topics.updateTopic(t.arn, { attributes: { ...t.attributes, Policy: JSON.stringify({ ...doc, Statement: kept }) } });
      return {};
    },
    resources: (input, _out, ctx) => resource(input.TopicArn, ctx),
  },
} satisfies OperationDefs<
  Ops,
  'CreateTopic' | 'DeleteTopic' | 'ListTopics' | 'GetTopicAttributes' | 'SetTopicAttributes' | 'AddPermission' | 'RemovePermission'
>;
