/**
 * Tags of users, roles and customer managed policies: Tag/Untag/List{User,Role,Policy}Tags
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html). Keys are unique case-insensitively; tagging
 * with a key that is there replaces its value (and takes the key's new spelling); untagging a key that is
 * not there changes nothing; at most 50 tags per resource. Tag calls carry aws:RequestTag/* and
 * aws:TagKeys, untag calls aws:TagKeys. AWS managed policies cannot be tagged from an account.
 */
import type { Tag, TaggableKind } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on, roleResource, tagKeys, userResource } from './access.ts';
import { awsManagedReadOnly, limitExceeded } from './errors.ts';
import { pageMembers, pageOf, type PageInput } from './pagination.ts';
import { requirePolicy } from './policies.ts';
import { requireRole } from './roles.ts';
import { requireUser } from './users.ts';
import { tagsOf } from './values.ts';

const MAX_TAGS = 50;

/** `tags` with `added` merged in: a key already there (in any case) takes the new key and value. */
export function mergeTags(tags: Tag[], added: Tag[]): Tag[] {
  const lower = new Set(added.map((t) => t.Key.toLowerCase()));
  return [...tags.filter((t) => !lower.has(t.Key.toLowerCase())), ...added];
}

export function withoutKeys(tags: Tag[], keys: string[]): Tag[] {
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  return tags.filter((t) => !lower.has(t.Key.toLowerCase()));
}

const untagKeys = (i: { TagKeys?: string[] }) => (i.TagKeys?.length ? { 'aws:TagKeys': i.TagKeys } : undefined);

/** Tags after a Tag* call: at most 50. */
async function save(ctx: OperationContext, kind: TaggableKind, key: string, tags: Tag[]): Promise<void> {
  if (tags.length > MAX_TAGS) throw limitExceeded('TagsPerResource', MAX_TAGS);
  await ctx.store.identities.setTags(kind, key, tags);
}

const listed = (tags: Tag[], input: PageInput) => {
  const page = pageOf(tags, (t) => t.Key.toLowerCase(), input);
  return { Tags: page.items, ...pageMembers(page) };
};

/** A customer managed policy whose tags this account may change. */
async function ownPolicy(ctx: OperationContext, arn: string, action: string) {
  const p = await requirePolicy(ctx, arn);
  if (p.awsManaged) throw awsManagedReadOnly(ctx.principal.arn, action, p.arn);
  return p;
}

export const tagging = {
  TagUser: {
    readOnly: false,
    authorize: on('TagUser', (i, ctx) => userResource(ctx, i.UserName), tagKeys),
    async handler(input, ctx): Promise<Output<'TagUser'>> {
      const added = tagsOf(input);
      const u = await requireUser(ctx, input.UserName);
      await save(ctx, 'user', u.userName, mergeTags(u.tags, added));
      return {};
    },
  },
  UntagUser: {
    readOnly: false,
    authorize: on('UntagUser', (i, ctx) => userResource(ctx, i.UserName), untagKeys),
    async handler(input, ctx): Promise<Output<'UntagUser'>> {
      const u = await requireUser(ctx, input.UserName);
      await ctx.store.identities.setTags('user', u.userName, withoutKeys(u.tags, input.TagKeys));
      return {};
    },
  },
  ListUserTags: {
    readOnly: true,
    authorize: on('ListUserTags', (i, ctx) => userResource(ctx, i.UserName)),
    handler: async (input, ctx): Promise<Output<'ListUserTags'>> => listed((await requireUser(ctx, input.UserName)).tags, input),
  },
  TagRole: {
    readOnly: false,
    authorize: on('TagRole', (i, ctx) => roleResource(ctx, i.RoleName), tagKeys),
    async handler(input, ctx): Promise<Output<'TagRole'>> {
      const added = tagsOf(input);
      const r = await requireRole(ctx, input.RoleName);
      await save(ctx, 'role', r.roleName, mergeTags(r.tags, added));
      return {};
    },
  },
  UntagRole: {
    readOnly: false,
    authorize: on('UntagRole', (i, ctx) => roleResource(ctx, i.RoleName), untagKeys),
    async handler(input, ctx): Promise<Output<'UntagRole'>> {
      const r = await requireRole(ctx, input.RoleName);
      await ctx.store.identities.setTags('role', r.roleName, withoutKeys(r.tags, input.TagKeys));
      return {};
    },
  },
  ListRoleTags: {
    readOnly: true,
    authorize: on('ListRoleTags', (i, ctx) => roleResource(ctx, i.RoleName)),
    handler: async (input, ctx): Promise<Output<'ListRoleTags'>> => listed((await requireRole(ctx, input.RoleName)).tags, input),
  },
  TagPolicy: {
    readOnly: false,
    authorize: on('TagPolicy', (i) => i.PolicyArn ?? '', tagKeys),
    async handler(input, ctx): Promise<Output<'TagPolicy'>> {
      const added = tagsOf(input);
      const p = await ownPolicy(ctx, input.PolicyArn, 'iam:TagPolicy');
      await save(ctx, 'policy', p.arn, mergeTags(p.tags, added));
      return {};
    },
  },
  UntagPolicy: {
    readOnly: false,
    authorize: on('UntagPolicy', (i) => i.PolicyArn ?? '', untagKeys),
    async handler(input, ctx): Promise<Output<'UntagPolicy'>> {
      const p = await ownPolicy(ctx, input.PolicyArn, 'iam:UntagPolicy');
      await ctx.store.identities.setTags('policy', p.arn, withoutKeys(p.tags, input.TagKeys));
      return {};
    },
  },
  ListPolicyTags: {
    readOnly: true,
    authorize: on('ListPolicyTags', (i) => i.PolicyArn ?? ''),
    handler: async (input, ctx): Promise<Output<'ListPolicyTags'>> => listed((await requirePolicy(ctx, input.PolicyArn)).tags, input),
  },
} satisfies OperationDefs<
  Ops,
  'TagUser' | 'UntagUser' | 'ListUserTags' | 'TagRole' | 'UntagRole' | 'ListRoleTags' | 'TagPolicy' | 'UntagPolicy' | 'ListPolicyTags'
>;
