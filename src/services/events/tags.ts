/**
 * Tags of buses and rules (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html,
 * UntagResource, ListTagsForResource): at most 50 per resource
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-tagging.html). The ResourceARN names a
 * bus or a rule of the caller's account and Region.
 */
import type { OperationContext, OperationDefs } from '../types.ts';
import { tagKeys } from './access.ts';
import { taggable } from './arns.ts';
import { busNotFound, ruleNotFound, validation } from './errors.ts';
import type { Operations as Ops, Output } from './model.generated.ts';

export const MAX_TAGS = 50;

/** The tags as a map; the last of a repeated key wins. */
export function checkTags(tags: { Key: string; Value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    if (t.Key.toLowerCase().startsWith('aws:')) throw validation('Invalid tag key. Tag keys cannot start with the reserved prefix aws:');
    out[t.Key] = t.Value;
  }
  if (Object.keys(out).length > MAX_TAGS) throw validation(`The number of tags exceeds the limit of ${MAX_TAGS}.`);
  return out;
}

/** The ARN of an existing bus or rule of the caller, as stored. */
async function resourceOf(ctx: OperationContext, arn: string): Promise<string> {
  const ref = taggable(arn);
  if (!ref) throw validation('Parameter ResourceARN is not valid.');
  const own = ref.bus.accountId === ctx.accountId && ref.bus.region === ctx.region;
  if (ref.kind === 'bus') {
    const bus = own ? await ctx.store.eventBuses.getBus(ctx.accountId, ctx.region, ref.bus.name) : undefined;
    if (!bus) throw busNotFound(ref.bus.name);
    return bus.arn;
  }
  const rule = own ? await ctx.store.eventBuses.getRule(ctx.accountId, ctx.region, ref.bus.name, ref.name) : undefined;
  if (!rule) throw ruleNotFound(ref.name, ref.bus.name);
  return rule.arn;
}

export const tagHandlers = {
  TagResource: {
    readOnly: false,
    authorize: (input) => ({ resource: input.ResourceARN || '*', keys: tagKeys(input.Tags) }),
    async handler(input, ctx): Promise<Output<'TagResource'>> {
      const arn = await resourceOf(ctx, input.ResourceARN);
      const given = checkTags(input.Tags);
      const merged = { ...(await ctx.store.eventBuses.tagsOf(arn)), ...given };
      if (Object.keys(merged).length > MAX_TAGS) throw validation(`The number of tags exceeds the limit of ${MAX_TAGS}.`);
      await ctx.store.eventBuses.tag(ctx.accountId, arn, given);
      return {};
    },
  },

  UntagResource: {
    readOnly: false,
    authorize: (input) => ({ resource: input.ResourceARN || '*', keys: { 'aws:TagKeys': input.TagKeys ?? [] } }),
    async handler(input, ctx): Promise<Output<'UntagResource'>> {
      const arn = await resourceOf(ctx, input.ResourceARN);
      await ctx.store.eventBuses.untag(arn, input.TagKeys);
      return {};
    },
  },

  ListTagsForResource: {
    readOnly: true,
    authorize: (input) => ({ resource: input.ResourceARN || '*' }),
    async handler(input, ctx): Promise<Output<'ListTagsForResource'>> {
      const arn = await resourceOf(ctx, input.ResourceARN);
      const tags = await ctx.store.eventBuses.tagsOf(arn);
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },
  },
} satisfies OperationDefs<Ops, 'TagResource' | 'UntagResource' | 'ListTagsForResource'>;
