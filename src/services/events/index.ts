/**
 * Amazon EventBridge (AWS JSON 1.1, target prefix `AWSEvents`, regional; docs/eventbridge.md). Its
 * actions are `events:<Operation>`. PutEvents delivers through `destinations` (the SQS and SNS
 * services' in-transaction delivery, delivery/destinations.ts) as the servicePrincipal
 * `events.amazonaws.com`.
 */
import type { Destinations } from '../../delivery/destinations.ts';
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export function createEvents({ destinations }: { destinations: Destinations }): ServiceDef {
  return {
    name: 'events',
    eventSource: 'events.amazonaws.com',
    actionPrefix: 'events',
    global: false,
    model: loadModel('events'),
    operations: handlers(destinations),
  };
}
