/** CloudTrail operations served (spec cloudtrail-codestar §c–d): LookupEvents now; the trail operations land with trails. */
import type { Handlers } from '../types.ts';
import { lookupEvents } from './lookup-events.ts';

export const handlers = {
  // Authorization: cloudtrail:LookupEvents on "*" (the pipeline's default: it has no resource type).
  LookupEvents: { readOnly: true, handler: lookupEvents },
} satisfies Handlers<'LookupEvents'>;
