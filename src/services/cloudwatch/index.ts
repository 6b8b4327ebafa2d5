/**
 * Amazon CloudWatch metrics and alarms (regional; docs/cloudwatch.md), signing name `monitoring`,
 * served over Smithy RPC v2 CBOR, AWS JSON 1.0 and AWS Query, chosen per request (protocols.ts).
 */
import type { Destinations } from '../../delivery/destinations.ts';
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { alarmOps } from './alarm-ops.ts';
import { metricOps } from './metric-ops.ts';
import { cloudWatchCbor, cloudWatchJson, cloudWatchQuery } from './protocols.ts';

export function createCloudWatch(deps: { destinations: Destinations }): ServiceDef {
  return {
    name: 'monitoring',
    eventSource: 'monitoring.amazonaws.com',
    actionPrefix: 'cloudwatch',
    global: false,
    model: loadModel('cloudwatch'),
    wire: cloudWatchJson,
    queryWire: cloudWatchQuery,
    rpcWire: cloudWatchCbor,
    operations: { ...metricOps, ...alarmOps(deps.destinations) },
  };
}
