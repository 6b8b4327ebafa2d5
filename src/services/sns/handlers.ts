/** Every SNS operation startrail serves, by name (docs/sns.md). */
import { publishHandlers } from './publishing.ts';
import { subscriptionHandlers } from './subscriptions.ts';
import { tagHandlers } from './tags.ts';
import { topicHandlers } from './topics.ts';

export const handlers = { ...topicHandlers, ...subscriptionHandlers, ...publishHandlers, ...tagHandlers };
