/** CloudTrail Lake (docs/lake.md): event data stores and queries. */
import type { OperationDefs } from '../../types.ts';
import type { Operations as Ops } from '../model.generated.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { imports } from './imports.ts';
import { queries } from './queries.ts';
import { stores } from './stores.ts';

export function lake(deps: CloudTrailDeps) {
  return { ...stores, ...queries(deps), ...imports(deps) } satisfies OperationDefs<
    Ops,
    keyof typeof stores | keyof ReturnType<typeof queries> | keyof ReturnType<typeof imports>
  >;
}
