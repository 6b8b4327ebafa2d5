/**
 * The destinations the server uses (delivery/destinations.ts): SQS's deliverServiceMessage and
 * queueAllowsService (services/sqs/deliver.ts); topics through SNS's publishFromService once the
 * SNS service is on this branch (until then no topic exists).
 */
import { deliverServiceMessage, queueAllowsService } from '../services/sqs/deliver.ts';
import { noDestinations, type Destinations } from './destinations.ts';

export const liveDestinations: Destinations = {
  ...noDestinations,
  deliverServiceMessage,
  queueAllowsService,
};
