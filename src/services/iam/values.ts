/** Values IAM stamps on new entities (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): creation times to the second, tag lists, paths. */
import type { Tag } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { duplicateTagKeys } from './errors.ts';

/** IAM reports times to the second; storing them so keeps responses identical before and after a restart. */
export const createdNow = (ctx: OperationContext): Date => new Date(Math.floor(ctx.now.getTime() / 1000) * 1000);

/** Tags as sent; keys are unique case-insensitively (the model already caps the count at 50). */
export function tagsOf(input: { Tags?: Tag[] }): Tag[] {
  const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
  if (new Set(tags.map((t) => t.Key.toLowerCase())).size !== tags.length) throw duplicateTagKeys();
  return tags;
}

/** `Tags` appears in IAM output only when there are some. */
export const tagsMember = (tags: Tag[]) => (tags.length ? { Tags: tags } : {});

/** Path prefix filter of the List* operations (paths begin and end with `/`). */
export const underPath = (path: string, prefix: string | undefined): boolean => !prefix || path.startsWith(prefix);
