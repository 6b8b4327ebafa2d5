/** Every EventBridge operation startrail serves, by name (docs/eventbridge.md). */
import type { Destinations } from '../../delivery/destinations.ts';
import { apiDestinationHandlers } from './api-destinations.ts';
import { busHandlers } from './buses.ts';
import { connectionHandlers } from './connections.ts';
import { putEventsHandlers } from './put-events.ts';
import { ruleHandlers } from './rules.ts';
import { tagHandlers } from './tags.ts';
import { targetHandlers } from './targets.ts';

export const handlers = (destinations: Destinations) => ({
  ...busHandlers,
  ...ruleHandlers,
  ...targetHandlers,
  ...putEventsHandlers(destinations),
  ...tagHandlers,
  ...connectionHandlers,
  ...apiDestinationHandlers,
});
