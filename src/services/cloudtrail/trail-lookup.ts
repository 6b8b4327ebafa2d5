/**
 * Finding the trail a call names (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html "Home region"): a trail lives in its
 * home region; a multi-region trail is also visible from every other region as a shadow trail.
 *   read    GetTrail, DescribeTrails: a name finds the home trail, else a shadow trail
 *   shadow  GetTrailStatus, GetEventSelectors: a shadow trail only by its ARN (by name: not found,
 *           with the ARN the name would have here — as AWS answers)
 *   home    every change (findHomeTrail): a shadow trail is InvalidHomeRegionException
 * A name that finds nothing is TrailNotFoundException "Unknown trail: <name> for the user: <account>",
 * except for `shadow` lookups, whose message names the ARN the name would have here (as AWS answers
 * GetTrailStatus and GetEventSelectors; captured in elastic/cloudbeat#1750, and https://github.com/aws/aws-cli/issues/3048 for
 * PutEventSelectors keeping the name).
 */
import type { Trail } from '../../store/types.ts';
import type { AuthorizationContext } from '../types.ts';
import { trailAccount } from '../../delivery/layout.ts';
import { invalidHomeRegion, trailArnAccountWrong, trailNotFound } from './errors.ts';
import { parseTrailRef, trailArn } from './trail-names.ts';

export type Access = 'read' | 'shadow';

/**
 * The caller's account's trails (the store holds every account's); with `organization`, also the
 * organization trails of the management account of the caller's organization, which a member account
 * sees but cannot change (docs/accounts.md#trails).
 */
export async function accountTrails(ctx: AuthorizationContext, organization = true): Promise<Trail[]> {
  const all = await ctx.store.trails.listTrails();
  const own = all.filter((t) => trailAccount(t) === ctx.accountId);
  // the organization is looked up only when another account has an organization trail (DescribeTrails is a hot path)
  if (!organization || !all.some((t) => t.isOrganizationTrail && trailAccount(t) !== ctx.accountId)) return own;
  const org = await ctx.store.organizations.ofAccount(ctx.accountId);
  if (!org || org.org.managementAccountId === ctx.accountId) return own;
  return [...own, ...all.filter((t) => t.isOrganizationTrail && trailAccount(t) === org.org.managementAccountId)];
}

/** Trails seen from `region`: its own, then multi-region trails of other regions. */
export async function visibleTrails(ctx: AuthorizationContext, shadows = true): Promise<Trail[]> {
  const all = await accountTrails(ctx);
  return [...all.filter((t) => t.homeRegion === ctx.region), ...(shadows ? all.filter((t) => t.homeRegion !== ctx.region && t.isMultiRegionTrail) : [])];
}

/** The trail named by `value` (name or ARN) as seen from the call's region, or the error AWS gives. */
export async function findTrail(ctx: AuthorizationContext, value: string, access: Access): Promise<Trail> {
  const ref = parseTrailRef(value);
  const visible = await visibleTrails(ctx);
  let trail: Trail | undefined;
  if (ref.arn) {
    trail = visible.find((t) => t.arn === ref.arn);
  } else {
    trail = visible.find((t) => t.name === ref.name && t.homeRegion === ctx.region);
    const shadow = trail ? undefined : visible.find((t) => t.name === ref.name);
    if (shadow && access === 'shadow') throw trailNotFound(trailArn(ctx.region, ctx.accountId, ref.name), ctx.accountId);
    trail ??= shadow;
  }
  if (!trail) throw trailNotFound(ref.arn || access !== 'shadow' ? value : trailArn(ctx.region, ctx.accountId, ref.name), ctx.accountId);
  return trail;
}

/**
 * The trail a change names: as `read` finds it, in the call's region, and of the caller's own account.
 * A member account naming its organization's trail by ARN is told the ARN's account is not its own,
 * as AWS answers (captured in https://github.com/turbot/steampipe-plugin-aws/issues/577); by name it is not found
 * (https://github.com/hashicorp/terraform-provider-aws/issues/30387).
 */
export async function findHomeTrail(ctx: AuthorizationContext, value: string): Promise<Trail> {
  const ref = parseTrailRef(value);
  if (ref.arn && ref.account !== ctx.accountId) throw trailArnAccountWrong(ctx.accountId);
  const trail = await findTrail(ctx, value, 'read');
  if (trailAccount(trail) !== ctx.accountId) throw trailNotFound(value, ctx.accountId);
  if (trail.homeRegion !== ctx.region) throw invalidHomeRegion(trail.arn, trail.homeRegion);
  return trail;
}

/** The ARN a call is authorized on: the trail's own when it exists, else the ARN the name would have here. */
export async function trailResource(ctx: AuthorizationContext, value: unknown): Promise<string> {
  if (typeof value !== 'string') return trailArn(ctx.region, ctx.accountId, '');
  if (value.startsWith('arn:')) return value;
  const found =
    (await visibleTrails(ctx)).find((t) => t.name === value && t.homeRegion === ctx.region) ?? (await visibleTrails(ctx)).find((t) => t.name === value);
  return found?.arn ?? trailArn(ctx.region, ctx.accountId, value);
}
