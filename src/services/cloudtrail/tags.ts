/**
 * Trail tags: AddTags, RemoveTags, ListTags (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html "Tags"): ResourceId is a
 * trail ARN; at most 50 tags per trail (TagsLimitExceededException); adding a key again replaces its
 * value; keys are letters, digits, spaces and `_ . : / = + - @`, not starting with `aws:`
 * (InvalidTagParameterException); ListTags takes at most 20 ARNs. Changing tags is a home-region
 * operation, like every change to a trail. Event data stores' ARNs take tags the same way (docs/lake.md).
 */
import type { Tag, Trail } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import {
  channelNotFound,
  eventDataStoreNotFound,
  invalidHomeRegion,
  trailArnAccountWrong,
  invalidParameter,
  invalidTagParameter,
  resourceNotFound,
  resourceTypeNotSupported,
  tagsLimitExceeded,
  trailArnInvalid,
} from './errors.ts';
import { cloudTrailResourceType, parseTrailRef } from './trail-names.ts';
import { visibleTrails } from './trail-lookup.ts';
import { trailAccount } from '../../delivery/layout.ts';
import type { LakeEventDataStore } from '../../store/types.ts';
import { findStore } from './lake/stores.ts';

/** A tag call on an event data store (docs/lake.md#event-data-stores): the store of the caller's account and Region, or EventDataStoreNotFoundException. */
async function taggedStore(ctx: OperationContext, arn: string): Promise<LakeEventDataStore | undefined> {
  if (cloudTrailResourceType(arn) !== 'eventdatastore') return undefined;
  return findStore(ctx, arn);
}

export const MAX_TAGS = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Checks a request's TagsList (keys unique, allowed characters) and returns it as stored tags. */
export function checkTags(list: { Key: string; Value?: string }[] | undefined): Tag[] {
  const tags = (list ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
  const seen = new Set<string>();
  for (const t of tags) {
    if (!KEY.test(t.Key)) throw invalidTagParameter(`Tag key ${t.Key} is not valid: use letters, digits, spaces and _ . : / = + - @.`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTagParameter(`Tag key ${t.Key} is not valid: the aws: prefix is reserved.`);
    if (!VALUE.test(t.Value)) throw invalidTagParameter(`Tag value ${t.Value} is not valid: use letters, digits, spaces and _ . : / = + - @.`);
    if (seen.has(t.Key)) throw invalidTagParameter(`Tag key ${t.Key} appears more than once.`);
    seen.add(t.Key);
  }
  if (tags.length > MAX_TAGS) throw tagsLimitExceeded();
  return tags;
}

/** aws:RequestTag/<key> and aws:TagKeys for calls that carry tags. */
export function tagConditionKeys(list: { Key: string; Value?: string }[] | undefined) {
  if (!list?.length) return undefined;
  return { 'aws:TagKeys': list.map((t) => t.Key), ...Object.fromEntries(list.map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])) };
}

/** The trail a tag call names by ARN, or the error for a resource that is no trail here. */
async function taggedTrail(ctx: OperationContext, arn: string): Promise<Trail> {
  const type = cloudTrailResourceType(arn);
  if (!type) throw trailArnInvalid(arn);
  if (type === 'eventdatastore') throw eventDataStoreNotFound(arn);
  if (type === 'channel') throw channelNotFound(arn);
  if (type !== 'trail') throw resourceTypeNotSupported(arn);
  parseTrailRef(arn);
  const trail = (await visibleTrails(ctx)).find((t) => t.arn === arn);
  if (!trail) throw resourceNotFound(arn);
  return trail;
}

/** The trail a tag change names: a shadow trail is changed in its home region only, an organization trail by its own account only. */
async function homeTaggedTrail(ctx: OperationContext, arn: string): Promise<Trail> {
  const trail = await taggedTrail(ctx, arn);
  if (trailAccount(trail) !== ctx.accountId) throw trailArnAccountWrong(ctx.accountId);
  if (trail.homeRegion !== ctx.region) throw invalidHomeRegion(trail.arn, trail.homeRegion);
  return trail;
}

export const tags = {
  AddTags: {
    readOnly: false,
    authorize: (input) => ({ resource: String(input.ResourceId ?? ''), keys: tagConditionKeys(input.TagsList) }),
    async handler(input, ctx): Promise<Output<'AddTags'>> {
      const eds = await taggedStore(ctx, input.ResourceId);
      if (eds) {
        const added = checkTags(input.TagsList);
        const merged = [...eds.settings.tags.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
        if (merged.length > MAX_TAGS) throw tagsLimitExceeded();
        await ctx.store.lake.updateStore(eds.id, { settings: { ...eds.settings, tags: merged } });
        return {};
      }
      const trail = await homeTaggedTrail(ctx, input.ResourceId);
      const added = checkTags(input.TagsList);
      const merged = [...trail.tags.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
      if (merged.length > MAX_TAGS) throw tagsLimitExceeded();
      await ctx.store.trails.updateTrail(trail.id, { tags: merged });
      return {};
    },
  },

  RemoveTags: {
    readOnly: false,
    authorize: (input) => ({ resource: String(input.ResourceId ?? ''), keys: { 'aws:TagKeys': ((input.TagsList ?? []) as Tag[]).map((t) => t.Key) } }),
    async handler(input, ctx): Promise<Output<'RemoveTags'>> {
      const keys = new Set(((input.TagsList ?? []) as Tag[]).map((t) => t.Key));
      const eds = await taggedStore(ctx, input.ResourceId);
      if (eds) {
        await ctx.store.lake.updateStore(eds.id, { settings: { ...eds.settings, tags: eds.settings.tags.filter((t) => !keys.has(t.Key)) } });
        return {};
      }
      const trail = await homeTaggedTrail(ctx, input.ResourceId);
      await ctx.store.trails.updateTrail(trail.id, { tags: trail.tags.filter((t) => !keys.has(t.Key)) });
      return {};
    },
  },

  ListTags: {
    readOnly: true,
    authorize: (input) => ({ resource: ((input.ResourceIdList ?? []) as string[]).length ? (input.ResourceIdList as string[]).map(String) : '*' }),
    async handler(input, ctx): Promise<Output<'ListTags'>> {
      const ids = (input.ResourceIdList ?? []) as string[];
      if (ids.length > 20) throw invalidParameter(`ResourceIdList holds ${ids.length} ARNs; at most 20 are allowed.`);
      const list = [];
      for (const arn of ids) {
        const eds = await taggedStore(ctx, arn);
        list.push({ ResourceId: arn, TagsList: eds ? eds.settings.tags : (await taggedTrail(ctx, arn)).tags });
      }
      return { ResourceTagList: list };
    },
  },
} satisfies OperationDefs<Ops, 'AddTags' | 'RemoveTags' | 'ListTags'>;
