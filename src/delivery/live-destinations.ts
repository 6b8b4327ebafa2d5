/**
 * The destinations the server uses (delivery/destinations.ts): SQS's deliverServiceMessage and
 * queueAllowsService (services/sqs/deliver.ts), SNS's publishFromService and topicAllowsService
 * (services/sns/deliver.ts). Each runs in the caller's store transaction.
 */
import { publishFromService, topicAllowsService } from '../services/sns/deliver.ts';
import { deliverServiceMessage, queueAllowsService } from '../services/sqs/deliver.ts';
import type { Destinations } from './destinations.ts';

export const liveDestinations: Destinations = { deliverServiceMessage, queueAllowsService, publishFromService, topicAllowsService };
