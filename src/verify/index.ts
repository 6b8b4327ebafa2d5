/**
 * `validateLogs`: the whole of `aws cloudtrail validate-logs` as a function over an `ObjectReader`
 * and two CloudTrail calls, so it runs without HTTP in tests (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html; https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/validate-logs.html). Same listing,
 * chain walk, verdicts, output and exit status as the CLI; faster because the listing and the keys
 * load together, digests are fetched ahead and log files are checked `concurrency` at a time.
 */
import { addHours } from './dates.ts';
import { traverseChain, type ChainEvent } from './chain.ts';
import { Limiter, Ordered } from './concurrency.ts';
import { digestListPrefix, listingMarker, selectDigestKeys, type DigestKeys, type DigestScope } from './digest-keys.ts';
import { FatalError } from './errors.ts';
import { checkLogFile, logFileRefs, type LogResult } from './log-files.ts';
import type { ObjectReader } from './objects.ts';
import { findTrail, loadPublicKeys, type CloudTrailReader, type PublicKeys } from './public-keys.ts';
import { Report, type Output } from './report.ts';

export { FatalError } from './errors.ts';
export type { ObjectReader, StoredObject } from './objects.ts';
export type { CloudTrailReader, PublicKey, TrailInfo } from './public-keys.ts';
export type { Output } from './report.ts';

export interface ValidateOptions {
  trailArn: string;
  start: Date;
  end: Date;
  s3Bucket?: string;
  s3Prefix?: string;
  accountId?: string;
  /** the region whose digests are read (the CLI's --region); default: the trail's home region */
  sourceRegion?: string;
  verbose?: boolean;
  /** log files fetched and hashed at once (default 16) */
  concurrency?: number;
  /** receives output as it happens; without it, output is returned in `lines` */
  write?: (out: Output) => void;
  onProgress?: (p: Progress) => void;
}

export interface ValidateDeps {
  s3: ObjectReader;
  cloudTrail: CloudTrailReader;
  /** Organizations DescribeOrganization → id, for organization trails */
  organizationId?: () => Promise<string>;
}

export interface Progress {
  digestsListed: number;
  digestsDone: number;
  logsListed: number;
  logsDone: number;
  bytes: number;
}
export interface Count {
  valid: number;
  total: number;
}

export interface ValidateResult {
  digests: Count;
  backfillDigests: Count;
  logs: Count;
  lines: Output[];
  /** 0 when every digest and log file is valid, else 1 (as the CLI) */
  exitCode: 0 | 1;
}

export async function validateLogs(opts: ValidateOptions, deps: ValidateDeps): Promise<ValidateResult> {
  if (!/^arn:.+:cloudtrail:.+:\d{12}:trail\/.+/.test(opts.trailArn)) throw new FatalError(`Invalid trail ARN provided: ${opts.trailArn}`, 252);
  const scope = await resolveScope(opts, deps);
  const bucket = opts.s3Bucket ?? scope.bucket;
  const report = new Report({ verbose: !!opts.verbose, start: opts.start, end: opts.end, ...(opts.write ? { write: opts.write } : {}) });
  report.startup(opts.trailArn);

  const list = (b: string, end: Date): Promise<DigestKeys> =>
    selectDigestKeys(deps.s3.listObjects(b, digestListPrefix(scope), listingMarker(scope, opts.start)), scope, opts.start, end);
  const [listed, keys] = await Promise.allSettled([list(bucket, opts.end), loadPublicKeys(deps.cloudTrail, opts.start, addHours(opts.end, 2))]);
  if (listed.status === 'rejected') throw listed.reason;
  if (keys.status === 'rejected') throw keys.reason;

  const progress: Progress = {
    digestsListed: listed.value.standard.length + listed.value.backfill.length,
    digestsDone: 0,
    logsListed: 0,
    logsDone: 0,
    bytes: 0,
  };
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const limiter = new Limiter(concurrency);
  const ordered = new Ordered(concurrency * 8);
  const tick = () => opts.onProgress?.({ ...progress });
  const emit = (ev: ChainEvent, backfill: boolean) => {
    if (ev.type !== 'gap') progress.digestsDone++;
    if (ev.type === 'valid') report.digestValid(ev.digest, backfill);
    else if (ev.type === 'missing') report.digestMissing(ev.bucket, ev.key, backfill);
    else if (ev.type === 'invalid') report.digestInvalid(ev.message, backfill);
    else report.gap(ev.nextEnd, ev.lastStart, backfill);
    tick();
  };
  const emitLog = (r: LogResult) => {
    progress.logsDone++;
    progress.bytes += r.bytes;
    report.log(r);
    tick();
  };

  const pass = async (backfill: boolean, publicKeys: PublicKeys) => {
    const chain = traverseChain({
      objects: deps.s3,
      bucket,
      keys: backfill ? listed.value.backfill : listed.value.standard,
      start: opts.start,
      backfill,
      relist: async (b, end) => (await list(b, end))[backfill ? 'backfill' : 'standard'],
      ctx: { homeRegion: scope.homeRegion, publicKeys, ...(backfill ? { loadKeys: backfillKeys(deps.cloudTrail) } : {}) },
    });
    for await (const ev of chain) {
      await ordered.push(Promise.resolve(ev), (e) => emit(e, backfill));
      if (ev.type !== 'valid') continue;
      const logs = logFileRefs(ev.digest.data);
      progress.logsListed += logs.length;
      for (const log of logs)
        await ordered.push(
          limiter.run(() => checkLogFile(deps.s3, log)),
          emitLog,
        );
    }
  };
  try {
    await pass(false, keys.value);
    await pass(true, new Map());
  } catch (e) {
    ordered.fail(e);
  }
  await ordered.drain();
  report.summary();
  const count = (t: { valid: number; invalid: number }): Count => ({ valid: t.valid, total: t.valid + t.invalid });
  return {
    digests: count(report.digests),
    backfillDigests: count(report.backfillDigests),
    logs: count(report.logs),
    lines: report.output,
    exitCode: report.failed ? 1 : 0,
  };
}

/** Bucket, prefix and key scope: from DescribeTrails unless --s3-bucket is given (then --s3-prefix too). */
async function resolveScope(opts: ValidateOptions, deps: ValidateDeps): Promise<DigestScope & { bucket: string }> {
  const arn = opts.trailArn.split(':');
  const homeRegion = arn[3] ?? '';
  let bucket = opts.s3Bucket;
  let prefix = opts.s3Prefix;
  let organizationId: string | undefined;
  if (bucket === undefined) {
    const trail = await findTrail(deps.cloudTrail, opts.trailArn);
    bucket = trail.S3BucketName ?? '';
    prefix = trail.S3KeyPrefix;
    if (trail.IsOrganizationTrail) {
      if (!opts.accountId) throw new FatalError("Missing required parameter for organization trail: '--account-id'", 252);
      if (!deps.organizationId) throw new FatalError('organization trails need Organizations DescribeOrganization, which is not available here');
      organizationId = await deps.organizationId();
    }
  }
  return {
    bucket,
    homeRegion,
    trailName: opts.trailArn.split('/').at(-1) ?? '',
    accountId: opts.accountId || (arn[4] ?? ''),
    sourceRegion: opts.sourceRegion || homeRegion,
    ...(prefix ? { prefix } : {}),
    ...(organizationId ? { organizationId } : {}),
  };
}

/** Backfill digests load keys around their generation time; "none found" marks that digest INVALID. */
function backfillKeys(ct: CloudTrailReader) {
  return async (start: Date, end: Date): Promise<PublicKeys> => {
    try {
      return await loadPublicKeys(ct, start, end);
    } catch (e) {
      throw e instanceof FatalError ? new Error(e.message) : e;
    }
  };
}
