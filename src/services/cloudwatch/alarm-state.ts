/**
 * Alarm state changes (SetAlarmState and the evaluation loop): the state written with a
 * compare-and-set on the alarm's version, so a transition happens once across nodes; on a
 * transition a StateUpdate history item and, when actions are enabled, the new state's actions:
 * an SNS publish with AWS's alarm message (notification.ts) through Destinations, principal
 * `cloudwatch.amazonaws.com`, each leaving an Action history item — all in the caller's transaction
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html).
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { Ids } from '../../ids.ts';
import type { AlarmStateValue, MetricAlarmRow, Store } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { alarmMessage, alarmSubject } from './notification.ts';

export interface StateEnv {
  now: Date;
  ids: Ids;
  config: Config;
  destinations: Destinations;
}

export interface NewState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
}

const actionsOf = (a: MetricAlarmRow, state: AlarmStateValue): string[] => {
  const key = state === 'ALARM' ? 'AlarmActions' : state === 'OK' ? 'OKActions' : 'InsufficientDataActions';
  const v = a.definition[key];
  return Array.isArray(v) ? (v as string[]) : [];
};

/**
 * Moves the alarm to `next`. Same state: the reason is refreshed, nothing else. Returns false when
 * another writer changed the alarm first (nothing written; the caller's evaluation is stale).
 */
export async function changeState(tx: Store, alarm: MetricAlarmRow, next: NewState, env: StateEnv): Promise<boolean> {
  const transitioned = next.value !== alarm.stateValue;
  const ok = await tx.metrics.setState(alarm.accountId, alarm.region, alarm.name, alarm.version, {
    value: next.value,
    reason: next.reason,
    ...(next.reasonData !== undefined ? { reasonData: next.reasonData } : {}),
    at: env.now,
    transitioned,
  });
  if (!ok || !transitioned) return ok;
  const reasonData = next.reasonData ? (JSON.parse(next.reasonData) as unknown) : undefined;
  await tx.metrics.addHistory({
    accountId: alarm.accountId,
    region: alarm.region,
    alarmName: alarm.name,
    alarmType: 'MetricAlarm',
    timestamp: env.now,
    itemType: 'StateUpdate',
    summary: `Alarm updated from ${alarm.stateValue} to ${next.value}`,
    data: JSON.stringify({
      version: '1.0',
      oldState: {
        stateValue: alarm.stateValue,
        stateReason: alarm.stateReason,
        ...(alarm.stateReasonData ? { stateReasonData: JSON.parse(alarm.stateReasonData) as unknown } : {}),
      },
      newState: { stateValue: next.value, stateReason: next.reason, ...(reasonData !== undefined ? { stateReasonData: reasonData } : {}) },
    }),
  });
  if (!alarm.actionsEnabled) return true;
  for (const action of actionsOf(alarm, next.value)) {
    if (!action.startsWith('arn:aws:sns:')) continue;
    const message = alarmMessage(alarm, next, env.now);
    const sent = await env.destinations.publishFromService(
      tx,
      {
        topicArn: action,
        message,
        subject: alarmSubject(alarm, next.value),
        servicePrincipal: 'cloudwatch.amazonaws.com',
        sourceArn: alarm.arn,
        sourceAccount: alarm.accountId,
      },
      env.now,
      env.ids,
      env.config,
    );
    await tx.metrics.addHistory({
      accountId: alarm.accountId,
      region: alarm.region,
      alarmName: alarm.name,
      alarmType: 'MetricAlarm',
      timestamp: env.now,
      itemType: 'Action',
      summary: sent.ok
        ? `Successfully executed action ${action}`
        : `Failed to execute action ${action}. Received error: "${sent.reason === 'no-such-topic' ? 'Resource not found' : 'Access denied'}"`,
      data: JSON.stringify({
        actionState: sent.ok ? 'Succeeded' : 'Failed',
        stateUpdateTimestamp: env.now.getTime(),
        notificationResource: action,
        ...(sent.ok ? { publishedMessage: message } : { error: sent.reason === 'no-such-topic' ? 'Resource not found' : 'Access denied' }),
      }),
    });
  }
  return true;
}
