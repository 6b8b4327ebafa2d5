// Role: case 4 (delivery): listed as not available, with the reason, until trails land; the place to add it (and any later case).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../lib/context.ts';
import { PROJECT_ROOT } from '../lib/procs.ts';

interface Pending {
  case: string;
  metrics: string[];
  /** why the case cannot run on this build yet; undefined once it can */
  missing(): string | undefined;
  /** to write when it lands: see the notes on each case below */
  run?(ctx: Ctx): Promise<void>;
}

const cloudtrailOps = (): string[] => {
  try {
    const m = JSON.parse(readFileSync(join(PROJECT_ROOT, 'src/protocol/models/cloudtrail.json'), 'utf8')) as { operations: Record<string, unknown> };
    return Object.keys(m.operations);
  } catch { return []; }
};

export const PENDING: Pending[] = [
  {
    // When trails land: a trail to a startrail S3 bucket with a 1 s delivery interval; append N records through the
    // store, then time until every record is in a gzipped log object (records/s), and sign+send single calls and
    // poll ListObjectsV2 for their record (event-to-object latency p50/p99).
    case: 'delivery',
    metrics: ['records/s to gzipped log files', 'event-to-object latency p50/p99'],
    missing: () => (cloudtrailOps().includes('CreateTrail') ? undefined : 'trails have not landed (the CloudTrail model has no CreateTrail; issue 6)'),
  },
];

export async function pendingCases(ctx: Ctx): Promise<void> {
  for (const p of PENDING) {
    const why = p.missing() ?? (p.run ? undefined : 'available in the build, but its benchmark is not written yet (bench/cases/pending.ts)');
    if (why) {
      ctx.log(`${p.case}: not available: ${why}`);
      for (const m of p.metrics) ctx.report.skip(p.case, m, `not available: ${why}`);
    } else await p.run!(ctx);
  }
}
