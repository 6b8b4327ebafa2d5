/**
 * GetTrailStatus, StartLogging, StopLogging (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html; docs/architecture.md#delivery). Every status
 * field is live: start/stop times from these calls; latest delivery and digest times and errors, and
 * the delivery attempts, from the delivery loop. Epoch members are omitted until they happen; the
 * deprecated string members are always present, ISO seconds or "" (as AWS answers).
 * LatestDeliveryAttemptSucceeded holds the time of the latest successful attempt, as AWS's does; the
 * notification members are CloudTrail's SNS notifications after each log file (docs/notifications.md).
 * Starting a logging trail or stopping a stopped one changes nothing.
 */
import { closeSession, openSession } from '../../delivery/sessions.ts';
import type { Trail } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { findHomeTrail, findTrail, trailResource } from './trail-lookup.ts';

const iso = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

export function statusShape(t: Trail) {
  const s = t.status;
  const at = <K extends string>(k: K, d: Date | undefined) => (d ? ({ [k]: d } as Record<K, Date>) : {});
  const text = <K extends string>(k: K, v: string | undefined) => (v ? ({ [k]: v } as Record<K, string>) : {});
  return {
    IsLogging: s.isLogging,
    ...text('LatestDeliveryError', s.latestDeliveryError),
    ...at('LatestDeliveryTime', s.latestDeliveryTime),
    ...at('StartLoggingTime', s.startLoggingTime),
    ...at('StopLoggingTime', s.stopLoggingTime),
    ...at('LatestDigestDeliveryTime', s.latestDigestDeliveryTime),
    ...text('LatestDigestDeliveryError', s.latestDigestDeliveryError),
    ...text('LatestNotificationError', s.latestNotificationError),
    ...at('LatestNotificationTime', s.latestNotificationTime),
    LatestDeliveryAttemptTime: iso(s.latestDeliveryAttemptTime),
    LatestNotificationAttemptTime: iso(s.latestNotificationAttemptTime),
    LatestNotificationAttemptSucceeded: iso(s.latestNotificationSucceededTime),
    LatestDeliveryAttemptSucceeded: iso(s.latestDeliverySucceededTime),
    TimeLoggingStarted: iso(s.startLoggingTime),
    TimeLoggingStopped: iso(s.stopLoggingTime),
  };
}

const onTrail = async (input: { Name: string }, ctx: OperationContext) => ({ resource: await trailResource(ctx, input.Name) });

export const trailStatus = {
  GetTrailStatus: {
    readOnly: true,
    authorize: onTrail,
    handler: async (input, ctx): Promise<Output<'GetTrailStatus'>> => statusShape(await findTrail(ctx, input.Name, 'shadow')),
  },

  StartLogging: {
    readOnly: false,
    authorize: onTrail,
    async handler(input, ctx): Promise<Output<'StartLogging'>> {
      const trail = await findHomeTrail(ctx, input.Name);
      if (trail.status.isLogging) return {};
      await openSession(ctx.store, trail, ctx.now);
      await ctx.store.trails.updateTrail(trail.id, { status: { isLogging: true, startLoggingTime: ctx.now } });
      return {};
    },
  },

  StopLogging: {
    readOnly: false,
    authorize: onTrail,
    async handler(input, ctx): Promise<Output<'StopLogging'>> {
      const trail = await findHomeTrail(ctx, input.Name);
      if (!trail.status.isLogging) return {};
      await closeSession(ctx.store, trail, ctx.now, { eventName: 'StopLogging', requestId: ctx.requestId });
      await ctx.store.trails.updateTrail(trail.id, { status: { isLogging: false, stopLoggingTime: ctx.now } });
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'GetTrailStatus' | 'StartLogging' | 'StopLogging'>;
