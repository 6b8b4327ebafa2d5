/** The services startrail serves, and the start-up check that each serves exactly its model's operations. */
import { cloudtrail } from './cloudtrail/index.ts';
import { codestar } from './codestar/index.ts';
import { iam } from './iam/index.ts';
import { sts } from './sts/index.ts';
import type { ServiceDef } from './types.ts';

export function allServices(): ServiceDef[] {
  return [sts, iam, cloudtrail, codestar];
}

/** A missing or misspelt handler is a start-up error, not a runtime surprise. */
export function checkServices(services: ServiceDef[]): void {
  for (const s of services) {
    const modelOps = Object.keys(s.model.operations).sort();
    const served = Object.keys(s.operations).sort();
    const missing = modelOps.filter((o) => !served.includes(o));
    const extra = served.filter((o) => !modelOps.includes(o));
    if (missing.length || extra.length) throw new Error(`${s.name}: handlers do not match the model (missing: ${missing.join(', ') || '-'}; unknown: ${extra.join(', ') || '-'})`);
  }
}
