/** Every CloudWatch Logs operation startrail serves, by name (docs/logs.md). */
import { eventHandlers } from './events.ts';
import { groupHandlers } from './groups.ts';
import { metricFilterHandlers } from './metric-filters.ts';
import { policyHandlers } from './policies.ts';
import { streamHandlers } from './streams.ts';
import { tagHandlers } from './tags.ts';

export const handlers = { ...groupHandlers, ...streamHandlers, ...eventHandlers, ...metricFilterHandlers, ...tagHandlers, ...policyHandlers };
