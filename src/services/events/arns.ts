/**
 * EventBridge ARNs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies):
 *   event-bus/<name>, rule/<name> (default bus) or rule/<bus>/<name>,
 *   connection/<name>/<uuid>, api-destination/<name>/<uuid>.
 * Wherever EventBridge takes an EventBusName it takes the bus's name or its ARN.
 */
import type { OperationContext, AuthorizationContext } from '../types.ts';
import { busNotFound } from './errors.ts';

export const busArn = (region: string, account: string, name: string) => `arn:aws:events:${region}:${account}:event-bus/${name}`;
export const ruleArn = (region: string, account: string, bus: string, name: string) =>
  `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

export interface BusRef {
  accountId: string;
  region: string;
  name: string;
}

/** The bus an EventBusName names (default: `default`), in its account and Region. */
export function busRef(ctx: AuthorizationContext | OperationContext, given: string | undefined): BusRef {
  const m = BUS_ARN.exec(given ?? '');
  if (m) return { region: m[1] ?? '', accountId: m[2] ?? '', name: m[3] ?? '' };
  return { accountId: ctx.accountId, region: ctx.region, name: given || 'default' };
}

/** A bus of the caller's own account and Region (rules, targets, permissions): another's is not found. */
export function ownBus(ctx: OperationContext, given: string | undefined): BusRef {
  const ref = busRef(ctx, given);
  if (ref.accountId !== ctx.accountId || ref.region !== ctx.region) throw busNotFound(ref.name);
  return ref;
}

const RULE_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):rule\/(?:([^/]+)\/)?([^/]+)$/;

/** A tag call's ResourceARN: a bus or a rule of the caller. */
export type TaggableRef = { kind: 'bus'; bus: BusRef } | { kind: 'rule'; bus: BusRef; name: string };

export function taggable(arn: string): TaggableRef | undefined {
  const b = BUS_ARN.exec(arn);
  if (b) return { kind: 'bus', bus: { region: b[1] ?? '', accountId: b[2] ?? '', name: b[3] ?? '' } };
  const r = RULE_ARN.exec(arn);
  if (r) return { kind: 'rule', bus: { region: r[1] ?? '', accountId: r[2] ?? '', name: r[3] ?? 'default' }, name: r[4] ?? '' };
  return undefined;
}

export const connectionArnOf = (ctx: OperationContext | AuthorizationContext, name: string, uuid: string) =>
  `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${name}/${uuid}`;
export const destinationArnOf = (ctx: OperationContext | AuthorizationContext, name: string, uuid: string) =>
  `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${name}/${uuid}`;
