/**
 * CreateTrail, UpdateTrail, DeleteTrail, DescribeTrails, GetTrail, ListTrails
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html). Names are unique per region, and a multi-region trail's name in every
 * region; at most 5 trails are visible per region (shadow trails count). A trail is created not
 * logging. DeleteTrail of a trail that still has records or digests due keeps it, invisible, until
 * the delivery loop has flushed them (its final digest). Trails are per account; an organization
 * trail of the management account is also listed to its member accounts, which cannot change it
 * (docs/accounts.md#trails).
 */
import { closeSession, hasPendingSessions, logGroupChanged, organizationChanged, validationChanged } from '../../delivery/sessions.ts';
import type { Trail } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import type { CloudTrailDeps } from './deps.ts';
import { invalidNextToken, maximumTrails, trailAlreadyExists } from './errors.ts';
import { checkTags, tagConditionKeys } from './tags.ts';
import { accountTrails, findHomeTrail, findTrail, trailResource, visibleTrails } from './trail-lookup.ts';
import { checkTrailName, parseTrailRef, trailArn } from './trail-names.ts';
import { checkBucket, checkLogGroup, checkOrganization, checkSettings, checkTopic, topicArnOf } from './trail-settings.ts';
import { noDestinations } from '../../delivery/destinations.ts';
import { trailInfo, trailResponse, trailShape } from './trail-shapes.ts';

export const MAX_TRAILS_PER_REGION = 5;
const LIST_PAGE = 50;

/** Another live trail that would share a name with `name` in some region. */
function clash(all: Trail[], name: string, home: string, multi: boolean, except?: number): Trail | undefined {
  return all.find((t) => t.id !== except && t.name === name && (t.homeRegion === home || multi || t.isMultiRegionTrail));
}

/** Regions whose visible-trail count a new (or newly multi-region) trail raises: its home, and for a multi-region trail every region in use. */
function checkQuota(all: Trail[], ctx: OperationContext, multi: boolean, except?: number): void {
  const others = all.filter((t) => t.id !== except);
  const regions = multi ? [...new Set([ctx.region, ...others.map((t) => t.homeRegion)])] : [ctx.region];
  for (const r of regions) {
    const visible = others.filter((t) => t.homeRegion === r || t.isMultiRegionTrail).length;
    if (visible >= MAX_TRAILS_PER_REGION) throw maximumTrails(ctx.accountId, r);
  }
}

const placeOf = (
  t: Pick<Trail, 's3BucketName' | 's3KeyPrefix' | 'arn' | 'homeRegion' | 'logFileValidationEnabled'>,
  ctx: OperationContext,
  organizationId: string | undefined,
) => ({
  bucket: t.s3BucketName,
  ...(t.s3KeyPrefix ? { prefix: t.s3KeyPrefix } : {}),
  accountId: ctx.accountId,
  ...(organizationId ? { organizationId } : {}),
  trailArn: t.arn,
  regions: [...new Set([t.homeRegion, ctx.region])],
  validation: t.logFileValidationEnabled,
});

export function trails(deps: CloudTrailDeps) {
  return {
    CreateTrail: {
      readOnly: false,
      authorize: (input, ctx) => ({ resource: trailArn(ctx.region, ctx.accountId, String(input.Name ?? '')), keys: tagConditionKeys(input.TagsList) }),
      async handler(input, ctx): Promise<Output<'CreateTrail'>> {
        checkTrailName(input.Name);
        const settings = checkSettings(input);
        const tags = checkTags(input.TagsList);
        const all = await accountTrails(ctx, false);
        const multi = settings.isMultiRegionTrail ?? false;
        if (clash(all, input.Name, ctx.region, multi)) throw trailAlreadyExists(input.Name, ctx.accountId);
        checkQuota(all, ctx, multi);
        const draft: Omit<Trail, 'id'> = {
          name: input.Name,
          homeRegion: ctx.region,
          arn: trailArn(ctx.region, ctx.accountId, input.Name),
          createdAt: ctx.now,
          deleted: false,
          s3BucketName: input.S3BucketName,
          includeGlobalServiceEvents: true,
          isMultiRegionTrail: false,
          logFileValidationEnabled: false,
          isOrganizationTrail: false,
          selectors: null,
          ...settings,
          tags,
          status: { isLogging: false, failures: 0 },
        };
        const organizationId = draft.isOrganizationTrail ? await checkOrganization(ctx.store, ctx.accountId) : undefined;
        await checkBucket(deps.target(draft.s3BucketName), placeOf(draft, ctx, organizationId));
        if (draft.snsTopicName) {
          draft.snsTopicName = topicArnOf(draft.snsTopicName, draft.homeRegion, ctx.accountId);
          await checkTopic(deps.destinations ?? noDestinations, ctx.store, draft.snsTopicName, draft.arn, ctx.accountId);
        }
        if (draft.cloudWatchLogsLogGroupArn && draft.cloudWatchLogsRoleArn) {
          const g = { groupArn: draft.cloudWatchLogsLogGroupArn, roleArn: draft.cloudWatchLogsRoleArn };
          await checkLogGroup(ctx.store, { arn: draft.arn, homeRegion: draft.homeRegion, accountId: ctx.accountId, ...g });
        }
        return trailResponse(await ctx.store.trails.createTrail(draft));
      },
    },

    UpdateTrail: {
      readOnly: false,
      authorize: async (input, ctx) => ({ resource: await trailResource(ctx, input.Name) }),
      async handler(input, ctx): Promise<Output<'UpdateTrail'>> {
        const trail = await findHomeTrail(ctx, input.Name);
        const changes = checkSettings(input, trail);
        const next = { ...trail, ...changes };
        if (changes.isMultiRegionTrail && !trail.isMultiRegionTrail) {
          const all = await accountTrails(ctx, false);
          if (clash(all, trail.name, trail.homeRegion, true, trail.id)) throw trailAlreadyExists(trail.name, ctx.accountId);
          checkQuota(all, ctx, true, trail.id);
        }
        const organizationId = next.isOrganizationTrail ? await checkOrganization(ctx.store, ctx.accountId) : undefined;
        const organization = changes.isOrganizationTrail !== undefined && changes.isOrganizationTrail !== trail.isOrganizationTrail;
        const moved = organization || ['s3BucketName', 's3KeyPrefix', 'logFileValidationEnabled', 'isMultiRegionTrail'].some((k) => k in changes);
        if (moved) await checkBucket(deps.target(next.s3BucketName), placeOf(next, ctx, organizationId));
        if (changes.snsTopicName) {
          changes.snsTopicName = next.snsTopicName = topicArnOf(changes.snsTopicName, trail.homeRegion, ctx.accountId);
          await checkTopic(deps.destinations ?? noDestinations, ctx.store, changes.snsTopicName, trail.arn, ctx.accountId);
        }
        const logs = 'cloudWatchLogsLogGroupArn' in changes;
        if (logs && next.cloudWatchLogsLogGroupArn && next.cloudWatchLogsRoleArn) {
          const g = { groupArn: next.cloudWatchLogsLogGroupArn, roleArn: next.cloudWatchLogsRoleArn };
          await checkLogGroup(ctx.store, { arn: trail.arn, homeRegion: trail.homeRegion, accountId: ctx.accountId, ...g });
        }
        await ctx.store.trails.updateTrail(trail.id, changes);
        if (logs) await logGroupChanged(ctx.store, trail, next.cloudWatchLogsLogGroupArn, ctx.now);
        if (changes.logFileValidationEnabled !== undefined && changes.logFileValidationEnabled !== trail.logFileValidationEnabled) {
          await validationChanged(ctx.store, next, changes.logFileValidationEnabled, ctx.now);
        } else if (organization) await organizationChanged(ctx.store, next, ctx.now);
        return trailResponse({ ...next, ...changes });
      },
    },

    DeleteTrail: {
      readOnly: false,
      authorize: async (input, ctx) => ({ resource: await trailResource(ctx, input.Name) }),
      async handler(input, ctx): Promise<Output<'DeleteTrail'>> {
        const trail = await findHomeTrail(ctx, input.Name);
        await closeSession(ctx.store, trail, ctx.now, { eventName: 'DeleteTrail', requestId: ctx.requestId });
        if (await hasPendingSessions(ctx.store, trail)) await ctx.store.trails.updateTrail(trail.id, { deleted: true, status: { isLogging: false } });
        else await ctx.store.trails.deleteTrail(trail.id);
        return {};
      },
    },

    DescribeTrails: {
      readOnly: true,
      async handler(input, ctx): Promise<Output<'DescribeTrails'>> {
        const shadows = input.includeShadowTrails ?? true;
        const visible = await visibleTrails(ctx, shadows);
        const names = (input.trailNameList ?? []) as string[];
        if (!names.length) return { trailList: visible.map(trailShape) };
        const out: Trail[] = [];
        for (const value of names) {
          const ref = parseTrailRef(value);
          const t = ref.arn
            ? visible.find((x) => x.arn === ref.arn)
            : (visible.find((x) => x.name === ref.name && x.homeRegion === ctx.region) ?? visible.find((x) => x.name === ref.name));
          if (t && !out.includes(t)) out.push(t);
        }
        return { trailList: out.map(trailShape) };
      },
    },

    GetTrail: {
      readOnly: true,
      authorize: async (input, ctx) => ({ resource: await trailResource(ctx, input.Name) }),
      handler: async (input, ctx): Promise<Output<'GetTrail'>> => ({ Trail: trailShape(await findTrail(ctx, input.Name, 'read')) }),
    },

    ListTrails: {
      readOnly: true,
      async handler(input, ctx): Promise<Output<'ListTrails'>> {
        const all = await accountTrails(ctx);
        let start = 0;
        if (input.NextToken !== undefined) {
          start = Number(
            Buffer.from(String(input.NextToken), 'base64url')
              .toString('utf8')
              .replace(/^trails:/, ''),
          );
          if (!Number.isSafeInteger(start) || start <= 0 || start > all.length) throw invalidNextToken();
        }
        const page = all.slice(start, start + LIST_PAGE);
        const more = start + LIST_PAGE < all.length;
        return { Trails: page.map(trailInfo), ...(more ? { NextToken: Buffer.from(`trails:${start + LIST_PAGE}`).toString('base64url') } : {}) };
      },
    },
  } satisfies OperationDefs<Ops, 'CreateTrail' | 'UpdateTrail' | 'DeleteTrail' | 'DescribeTrails' | 'GetTrail' | 'ListTrails'>;
}
