/**
 * Log events written on a service's behalf (docs/logs.md#service-ingestion): a trail's CloudWatch
 * Logs delivery, an EventBridge log-group target. Not API calls: no record of their own.
 */
import type { Ids } from '../../ids.ts';
import type { Store } from '../../store/types.ts';

export interface ServiceLogEvent {
  timestamp: number;
  message: string;
}
export interface LogTarget {
  accountId: string;
  region: string;
  logGroupName: string;
  logStreamName: string;
}

/**
 * Appends log events on a service's behalf (a trail's delivery, an EventBridge target), inside `tx`:
 * creates the stream if absent, applies the group's metric filters (→ putServiceMetricData).
 * Not an API call: no record. 'no-such-group' when the group does not exist.
 */
export async function putServiceLogEvents(
  tx: Store,
  target: LogTarget,
  events: ServiceLogEvent[],
  env: { now: Date; ids: Ids },
): Promise<{ ok: true } | { ok: false; reason: 'no-such-group' }> {
  void tx;
  void target;
  void events;
  void env;
  throw new Error('putServiceLogEvents: not built yet');
}

/** The group's resource policy (PutResourcePolicy) lets `servicePrincipal` write: for EventBridge log-group targets. */
export async function logGroupAllowsService(
  tx: Store,
  accountId: string,
  region: string,
  logGroupName: string,
  servicePrincipal: string,
  sourceArn: string,
): Promise<'allowed' | 'no-such-group' | 'denied'> {
  void [tx, accountId, region, logGroupName, servicePrincipal, sourceArn];
  throw new Error('logGroupAllowsService: not built yet');
}
