// Role: the settings every case receives (from bench/run.ts flags) and the shared report.
import type { Report } from './report.ts';

export interface Ctx {
  quick: boolean;
  /** connections of the load generator in the signed-call case */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** interleaved rounds per configuration in the signed-call case (median taken) */
  rounds: number;
  client: 'raw' | 'http';
  /** scratch directory for data dirs and generated files */
  workDir: string;
  /** keep built datasets (under workDir) for the next run */
  keepData: boolean;
  /** LookupEvents-at-scale sizes */
  sizes: number[];
  /** 10M is only built when the 1M build time predicts at most this */
  maxBuildMinutes: number;
  importRecords: number;
  /** CloudTrail Lake event data store sizes */
  lakeSizes: number[];
  /** when set, servers run with --cpu-prof into this directory */
  profileDir?: string;
  report: Report;
  log: (msg: string) => void;
}

/** The performance targets (README "Performance"), printed beside the figures. */
export const TARGETS = {
  auditRatio: { op: '>=', value: 0.85, text: '0.85 x audit-off' },
  bareRatio: { op: '>=', value: 0.12, text: '0.12 x bare' },
  describeTrailsRps: { op: '>=', value: 5000, text: '5,000 req/s' },
  describeTrailsP99: { op: '<=', value: 15, text: '15 ms' },
  lookupEventsRps: { op: '>=', value: 2500, text: '2,500 req/s' },
  lookupP99: { op: '<=', value: 10, text: '10 ms at 10M' },
  importRate: { op: '>=', value: 100_000, text: '100k records/s' },
  rss: { op: '<=', value: 300, text: '300 MB at 10M' },
} as const;
