/**
 * Project tags: TagProject, UntagProject, ListTagsForProject (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html; keys 1–128,
 * values 0–256 as the model says, checked by the pipeline; at most 50 tags per project). Tagging a key
 * again replaces its value and keeps its place in the listing.
 */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { claimProject, onProject, recordProject, requestTags, requireProject, tagKeyList } from './access.ts';
import { LIMITS, tagLimit } from './errors.ts';
import { page } from './pagination.ts';

const asMap = (tags: { key: string; value: string }[]) => Object.fromEntries(tags.map((t) => [t.key, t.value]));

export const tags = {
  TagProject: {
    readOnly: false,
    authorize: onProject('id', requestTags),
    async handler(input, ctx): Promise<Output<'TagProject'>> {
      const p = await claimProject(ctx, input, input.id);
      const store = ctx.store.projects;
      const current = new Set((await store.listTags(p.id)).map((t) => t.key));
      const added = Object.keys(input.tags).filter((k) => !current.has(k));
      if (current.size + added.length > LIMITS.tagsPerProject) throw tagLimit(p.id);
      await store.putTags(p.id, input.tags);
      // "The tags for the project": all of them, after this call
      return { tags: asMap(await store.listTags(p.id)) };
    },
    resources: recordProject('id'),
  },

  UntagProject: {
    readOnly: false,
    authorize: onProject('id', tagKeyList),
    async handler(input, ctx): Promise<Output<'UntagProject'>> {
      const p = await claimProject(ctx, input, input.id);
      await ctx.store.projects.removeTags(p.id, input.tags);
      return {};
    },
    resources: recordProject('id'),
  },

  ListTagsForProject: {
    readOnly: true,
    authorize: onProject('id'),
    async handler(input, ctx): Promise<Output<'ListTagsForProject'>> {
      const p = await requireProject(ctx, input.id);
      const r = await page(input, 'tags', p.id, (after, limit) => ctx.store.projects.listTags(p.id, after, limit));
      return { tags: asMap(r.items), ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
    },
    resources: recordProject('id'),
  },
} satisfies OperationDefs<Ops, 'TagProject' | 'UntagProject' | 'ListTagsForProject'>;
