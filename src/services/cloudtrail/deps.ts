/**
 * What the trail operations need beyond the store: the delivery target each bucket routes to, for
 * CreateTrail/UpdateTrail's bucket checks (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html). Given by main.ts when it
 * builds the service (services/index.ts), so handlers stay free of globals.
 */
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import { noTarget, type DeliveryTarget } from '../../delivery/targets.ts';

export interface CloudTrailDeps {
  target: (bucket: string) => DeliveryTarget;
  /** SNS topics, for SnsTopicName's check (docs/notifications.md); default: none exist */
  destinations?: Destinations;
}

/** No object storage: every bucket is missing (S3BucketDoesNotExistException). */
export const NO_BUCKETS: CloudTrailDeps = { target: () => noTarget, destinations: noDestinations };
