/**
 * AWS CloudTrail (JSON 1.1, regional). The service answers some of its model's constraints with its
 * own exceptions instead of the generic ValidationException, as the model's error list says; those
 * constraints (SERVICE_CHECKED, listed with their exceptions in scripts/model-patches.ts) are taken
 * out of the copy of the model the validator sees.
 */
import { loadModel, type ServiceModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { NO_BUCKETS, type CloudTrailDeps } from './deps.ts';
import { handlers } from './handlers.ts';
import { SERVICE_CHECKED } from './model.generated.ts';

function withServiceChecks(model: ServiceModel): ServiceModel {
  const shapes = { ...model.shapes };
  for (const [name, drop] of Object.entries(SERVICE_CHECKED)) {
    const shape = shapes[name];
    if (!shape) continue;
    const copy = { ...shape };
    for (const k of drop) delete copy[k];
    shapes[name] = copy;
  }
  return { ...model, shapes };
}

/** The service, with the delivery targets CreateTrail/UpdateTrail check buckets through. */
export function createCloudTrail(deps: CloudTrailDeps): ServiceDef {
  return {
    name: 'cloudtrail',
    eventSource: 'cloudtrail.amazonaws.com',
    actionPrefix: 'cloudtrail',
    global: false,
    model: withServiceChecks(loadModel('cloudtrail')),
    operations: handlers(deps),
  };
}

/** Without object storage: every bucket is missing. */
export const cloudtrail: ServiceDef = createCloudTrail(NO_BUCKETS);
