/** CloudTrail operations served (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html–f): Event history, trails, selectors, tags, digest public keys, CloudTrail Lake (docs/lake.md). */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import type { CloudTrailDeps } from './deps.ts';
import { eventSelectors } from './event-selectors.ts';
import { lake } from './lake/index.ts';
import { lookupEvents } from './lookup-events.ts';
import { publicKeys } from './public-keys.ts';
import { tags } from './tags.ts';
import { trailStatus } from './trail-status.ts';
import { trails } from './trails.ts';

export function handlers(deps: CloudTrailDeps) {
  return {
    // Authorization: cloudtrail:LookupEvents on "*" (the pipeline's default: it has no resource type).
    LookupEvents: { readOnly: true, handler: lookupEvents },
    ...trails(deps),
    ...trailStatus,
    ...eventSelectors,
    ...tags,
    ...publicKeys,
    ...lake(deps),
  } satisfies OperationDefs<Ops>;
}
