/** The services startrail serves, and the start-up check that each serves exactly its model's operations. */
import { createCloudTrail } from './cloudtrail/index.ts';
import { embeddedTarget, type DeliveryTarget } from '../delivery/targets.ts';
import { codestar } from './codestar/index.ts';
import { iam } from './iam/index.ts';
import { s3Service } from './s3/index.ts';
import { sns } from './sns/index.ts';
import { sqs } from './sqs/index.ts';
import { sts } from './sts/index.ts';
import { logs } from './logs/index.ts';
import { organizations } from './organizations/index.ts';
import { createEvents } from './events/index.ts';
import { createCloudWatch } from './cloudwatch/index.ts';
import type { Destinations } from '../delivery/destinations.ts';
import { liveDestinations } from '../delivery/live-destinations.ts';
import type { ObjectStore } from '../objects/index.ts';
import type { ServiceDef } from './types.ts';

/** What services need from the composition root. */
export interface ServiceDeps {
  /** buckets and objects behind the S3 endpoint (and trail delivery) */
  objects: ObjectStore;
  /** where each trail bucket lives (embedded or an external S3 service); default: the embedded store */
  trailTarget?: (bucket: string) => DeliveryTarget;
  /** SQS queues and SNS topics for S3 event notifications and CloudTrail's notifications (docs/notifications.md); default: the server's */
  destinations?: Destinations;
}

export function allServices(deps: ServiceDeps): ServiceDef[] {
  const embedded = embeddedTarget(deps.objects);
  const destinations = deps.destinations ?? liveDestinations;
  return [
    sts,
    iam,
    createCloudTrail({ target: deps.trailTarget ?? (() => embedded), destinations }),
    codestar,
    s3Service(deps.objects, destinations),
    sqs,
    sns,
    logs,
    organizations,
    createEvents({ destinations }),
    createCloudWatch({ destinations }),
  ];
}

/** A missing or misspelt handler is a start-up error, not a runtime surprise. */
export function checkServices(services: ServiceDef[]): void {
  for (const s of services) {
    const modelOps = Object.keys(s.model.operations).sort();
    const served = Object.keys(s.operations).sort();
    const missing = modelOps.filter((o) => !served.includes(o));
    const extra = served.filter((o) => !modelOps.includes(o));
    if (missing.length || extra.length)
      throw new Error(`${s.name}: handlers do not match the model (missing: ${missing.join(', ') || '-'}; unknown: ${extra.join(', ') || '-'})`);
  }
}
