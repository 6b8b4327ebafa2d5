/**
 * The destinations the server uses (delivery/destinations.ts): SQS's deliverServiceMessage and SNS's
 * publishFromService, bound here once both services exist on this branch.
 */
import { noDestinations, type Destinations } from './destinations.ts';

export const liveDestinations: Destinations = noDestinations;
