/**
 * Topic tags (https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html, UntagResource,
 * ListTagsForResource; at most 50 per topic: https://docs.aws.amazon.com/sns/latest/dg/sns-tags.html).
 * A tag of an existing key is replaced.
 */
import type { Topic } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onTopic, tagKeys } from './access.ts';
import { parseTopicArn } from './arns.ts';
import { invalidParameter, resourceNotFound, tagLimitExceeded } from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { MAX_TAGS } from './topics.ts';

async function tagged(ctx: OperationContext, arn: string): Promise<Topic> {
  if (!parseTopicArn(arn)) throw invalidParameter('ResourceArn');
  const t = await ctx.store.topics.getTopic(arn);
  if (!t) throw resourceNotFound();
  return t;
}

const resource = (arn: string, ctx: OperationContext) => (parseTopicArn(arn) ? [{ accountId: ctx.accountId, type: 'AWS::SNS::Topic', ARN: arn }] : []);

export const tagHandlers = {
  TagResource: {
    readOnly: false,
    authorize: async (input, ctx) => ({ ...(await onTopic(ctx, input.ResourceArn)), keys: tagKeys(input.Tags) }),
    async handler(input, ctx): Promise<Output<'TagResource'>> {
      const t = await tagged(ctx, input.ResourceArn);
      const tags = t.tags.filter((x) => !input.Tags.some((n) => n.Key === x.Key));
      tags.push(...input.Tags.map((n) => ({ Key: n.Key, Value: n.Value })));
      if (tags.length > MAX_TAGS) throw tagLimitExceeded();
      await ctx.store.topics.updateTopic(t.arn, { tags });
      return {};
    },
    resources: (input, _out, ctx) => resource(input.ResourceArn, ctx),
  },

  UntagResource: {
    readOnly: false,
    authorize: async (input, ctx) => ({ ...(await onTopic(ctx, input.ResourceArn)), keys: { 'aws:TagKeys': input.TagKeys ?? [] } }),
    async handler(input, ctx): Promise<Output<'UntagResource'>> {
      const t = await tagged(ctx, input.ResourceArn);
      await ctx.store.topics.updateTopic(t.arn, { tags: t.tags.filter((x) => !input.TagKeys.includes(x.Key)) });
      return {};
    },
    resources: (input, _out, ctx) => resource(input.ResourceArn, ctx),
  },

  ListTagsForResource: {
    readOnly: true,
    authorize: (input, ctx) => onTopic(ctx, input.ResourceArn),
    async handler(input, ctx): Promise<Output<'ListTagsForResource'>> {
      const t = await tagged(ctx, input.ResourceArn);
      return { Tags: t.tags.map((x) => ({ Key: x.Key, Value: x.Value })) };
    },
    resources: (input, _out, ctx) => resource(input.ResourceArn, ctx),
  },
} satisfies OperationDefs<Ops, 'TagResource' | 'UntagResource' | 'ListTagsForResource'>;
