/**
 * Tags of log groups: TagResource / UntagResource / ListTagsForResource on the group's ARN
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html), and
 * the deprecated TagLogGroup / UntagLogGroup / ListTagsLogGroup by name, which older CLIs still call
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagLogGroup.html).
 * At most 50 tags a group.
 */
import type { LogGroupRecord } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onArn, onGroup } from './access.ts';
import { groupNotFound, invalidParameter, tooManyTags } from './errors.ts';
import { MAX_TAGS } from './groups.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { groupArn, parseGroupArn } from './names.ts';

const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** The group a resourceArn names: InvalidParameterException for an ARN that is no log group's, ResourceNotFoundException for a missing one. */
async function groupOfArn(ctx: OperationContext, arn: string): Promise<LogGroupRecord> {
  const ref = parseGroupArn(arn);
  if (!ref) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  const g = ref.accountId === ctx.accountId && ref.region === ctx.region ? await ctx.store.logs.getGroup(scopeOf(ctx), ref.name) : undefined;
  if (!g) throw groupNotFound();
  return g;
}

async function groupByName(ctx: OperationContext, name: string): Promise<LogGroupRecord> {
  const g = await ctx.store.logs.getGroup(scopeOf(ctx), name);
  if (!g) throw groupNotFound();
  return g;
}

const merged = (g: LogGroupRecord, tags: Record<string, string>) => ({ ...g.tags, ...tags });
const without = (g: LogGroupRecord, keys: string[]) => Object.fromEntries(Object.entries(g.tags).filter(([k]) => !keys.includes(k)));

export const tagHandlers = {
  TagResource: {
    readOnly: false,
    authorize: (input) => onArn(input),
    async handler(input, ctx): Promise<Output<'TagResource'>> {
      const g = await groupOfArn(ctx, input.resourceArn);
      const tags = merged(g, input.tags);
      if (Object.keys(tags).length > MAX_TAGS) throw tooManyTags(groupArn(g.region, g.accountId, g.name));
      await ctx.store.logs.updateGroup(scopeOf(ctx), g.name, { tags });
      return {};
    },
  },
  UntagResource: {
    readOnly: false,
    authorize: (input) => onArn(input),
    async handler(input, ctx): Promise<Output<'UntagResource'>> {
      const g = await groupOfArn(ctx, input.resourceArn);
      await ctx.store.logs.updateGroup(scopeOf(ctx), g.name, { tags: without(g, input.tagKeys) });
      return {};
    },
  },
  ListTagsForResource: {
    readOnly: true,
    authorize: (input) => onArn(input),
    async handler(input, ctx): Promise<Output<'ListTagsForResource'>> {
      return { tags: (await groupOfArn(ctx, input.resourceArn)).tags };
    },
  },
  TagLogGroup: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'TagLogGroup'>> {
      const g = await groupByName(ctx, input.logGroupName);
      const tags = merged(g, input.tags);
      // TagLogGroup's model has no TooManyTagsException: AWS answers InvalidParameterException
      if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter(`A resource can have no more than ${MAX_TAGS} tags.`);
      await ctx.store.logs.updateGroup(scopeOf(ctx), g.name, { tags });
      return {};
    },
  },
  UntagLogGroup: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'UntagLogGroup'>> {
      const g = await groupByName(ctx, input.logGroupName);
      await ctx.store.logs.updateGroup(scopeOf(ctx), g.name, { tags: without(g, input.tags) });
      return {};
    },
  },
  ListTagsLogGroup: {
    readOnly: true,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'ListTagsLogGroup'>> {
      return { tags: (await groupByName(ctx, input.logGroupName)).tags };
    },
  },
} satisfies OperationDefs<Ops, 'TagResource' | 'UntagResource' | 'ListTagsForResource' | 'TagLogGroup' | 'UntagLogGroup' | 'ListTagsLogGroup'>;
