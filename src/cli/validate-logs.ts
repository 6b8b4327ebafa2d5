/**
 * `startrail validate-logs`: `aws cloudtrail validate-logs` with the same flags, output and exit
 * status (0 all valid, 1 any invalid; 252 bad arguments, 254 a service error, 255 anything else),
 * plus the AWS CLI's `--endpoint-url`/`--region`/`--profile`, `--s3-endpoint-url` (S3 elsewhere than
 * CloudTrail), `--concurrency`, and a progress bar on stderr when it is a terminal. Credentials come
 * from the SDK's default chain (environment, ~/.aws/credentials, AWS_PROFILE, SSO, …). The work is
 * in src/verify (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html); this file only wires clients and the terminal.
 */
import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Command } from 'commander';
import { parseDate } from '../verify/dates.ts';
import { validateLogs, FatalError, type CloudTrailReader, type Output } from '../verify/index.ts';
import type { Progress } from '../verify/index.ts';
import { regionalObjectReader } from '../verify/s3-reader.ts';

interface Flags {
  trailArn?: string;
  startTime?: string;
  endTime?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  accountId?: string;
  verbose?: boolean;
  endpointUrl?: string;
  s3EndpointUrl?: string;
  region?: string;
  profile?: string;
  concurrency: string;
  progress: boolean;
}

export function registerValidateLogs(program: Command): void {
  program
    .command('validate-logs')
    .description('validate CloudTrail log files and digests for a period (as `aws cloudtrail validate-logs`, in parallel)')
    // checked in run(), not by commander, so that a missing one exits 252 (as the CLI) rather than 1 ("invalid")
    .option('--trail-arn <arn>', 'ARN of the trail to validate (required)')
    .option('--start-time <time>', 'validate log files delivered on or after this UTC time, e.g. 2015-01-08T05:21:42Z (required)')
    .option('--end-time <time>', 'validate log files delivered on or before this UTC time (default: now)')
    .option('--s3-bucket <bucket>', 'bucket holding the digests (default: from DescribeTrails)')
    .option('--s3-prefix <prefix>', 'key prefix of the digests (used with --s3-bucket)')
    .option('--account-id <id>', 'account whose files are validated (organization trails)')
    .option('--verbose', 'print every file checked')
    .option('--endpoint-url <url>', 'CloudTrail endpoint, and S3 endpoint unless --s3-endpoint-url')
    .option('--s3-endpoint-url <url>', 'S3 endpoint (path-style)')
    .option('--region <region>', "region (AWS_REGION, AWS_DEFAULT_REGION, profile; default: the trail's)")
    .option('--profile <name>', 'named profile for credentials and region')
    .option('--concurrency <n>', 'log files fetched at once', '16')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: Flags) => {
      process.exitCode = await run(flags);
    });
}

async function run(f: Flags): Promise<number> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const bar = f.progress && process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  const fail = (message: string, code: number) => {
    bar?.clear();
    process.stderr.write(`\n${message}\n`);
    return code;
  };
  const missing = [!f.trailArn && '--trail-arn', !f.startTime && '--start-time'].filter(Boolean);
  if (!f.trailArn || !f.startTime) return fail(`startrail validate-logs: error: the following arguments are required: ${missing.join(', ')}`, 252);
  const trailArn = f.trailArn;
  let start: Date;
  let end: Date;
  try {
    start = parseDate(f.startTime);
    end = f.endTime ? parseDate(f.endTime) : new Date(Math.floor(Date.now() / 1000) * 1000);
  } catch (e) {
    return fail((e as Error).message, 252);
  }
  if (start > end) return fail('Invalid time range specified: start-time must occur before end-time', 252);
  const homeRegion = trailArn.split(':')[3] ?? '';
  const profile = f.profile ? { profile: f.profile } : {};
  const region = f.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? (await profileRegion(f.profile)) ?? homeRegion;
  const ct = new CloudTrailClient({ region, ...profile, ...(f.endpointUrl ? { endpoint: f.endpointUrl } : {}) });
  // an organization trail's files are under AWSLogs/<o-id>/: the CLI asks Organizations for the id, at the same endpoint
  const orgs = new OrganizationsClient({ region, ...profile, ...(f.endpointUrl ? { endpoint: f.endpointUrl } : {}) });
  const s3Endpoint = f.s3EndpointUrl ?? f.endpointUrl;
  const s3 = regionalObjectReader({ region, ...profile, ...(s3Endpoint ? { endpoint: s3Endpoint } : {}) });
  const cloudTrail: CloudTrailReader = {
    async describeTrails() {
      return (await ct.send(new DescribeTrailsCommand({}))).trailList ?? [];
    },
    async listPublicKeys(StartTime, EndTime) {
      const r = await ct.send(new ListPublicKeysCommand({ StartTime, EndTime }));
      return (r.PublicKeyList ?? []).map((k) => ({ fingerprint: k.Fingerprint ?? '', value: k.Value ?? new Uint8Array() }));
    },
  };
  const write = (o: Output) => {
    bar?.clear();
    (o.stream === 'stdout' ? process.stdout : process.stderr).write(o.text);
  };
  try {
    const r = await validateLogs(
      {
        trailArn,
        start,
        end,
        sourceRegion: region,
        verbose: !!f.verbose,
        concurrency: Number(f.concurrency) || 16,
        write,
        ...(f.s3Bucket !== undefined ? { s3Bucket: f.s3Bucket } : {}),
        ...(f.s3Prefix !== undefined ? { s3Prefix: f.s3Prefix } : {}),
        ...(f.accountId ? { accountId: f.accountId } : {}),
        ...(bar ? { onProgress: bar.update } : {}),
      },
      {
        s3: s3.reader,
        cloudTrail,
        organizationId: async () => (await orgs.send(new DescribeOrganizationCommand({}))).Organization?.Id ?? '',
      },
    );
    bar?.clear();
    return r.exitCode;
  } catch (e) {
    if (e instanceof FatalError) return fail(e.message, e.exitCode);
    const err = e as Error & { $fault?: string };
    return err.$fault ? fail(`An error occurred (${err.name}): ${err.message}`, 254) : fail(err.message, 255);
  } finally {
    ct.destroy();
    orgs.destroy();
    s3.destroy();
  }
}

/** The region of the profile in the shared config files, if any (what the CLI would use). */
async function profileRegion(profile?: string): Promise<string | undefined> {
  const probe = new CloudTrailClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/** One line on stderr, redrawn at most ten times a second; cleared before other output, redrawn on the next update. */
function progressBar(out: NodeJS.WriteStream, width = 24) {
  const started = Date.now();
  let last = 0;
  let line = '';
  let p: Progress | undefined;
  const render = () => {
    if (!p) return;
    // logs are only known once their digest is read: extrapolate from the digests read so far
    const logsExpected = p.digestsDone ? (p.logsListed / p.digestsDone) * p.digestsListed : 0;
    const total = p.digestsListed + Math.max(p.logsListed, logsExpected);
    const ratio = total ? Math.min(1, (p.digestsDone + p.logsDone) / total) : 1;
    const filled = Math.round(ratio * width);
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const mb = p.bytes / 1e6;
    line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] digests ${p.digestsDone}/${p.digestsListed}  logs ${p.logsDone}/${p.logsListed}  ${mb.toFixed(1)} MB  ${(mb / secs).toFixed(1)} MB/s`;
    out.write(`\r\x1b[2K${line.slice(0, Math.max(10, (out.columns || 80) - 1))}`);
  };
  return {
    update(next: Progress) {
      p = next;
      const now = Date.now();
      if (line && now - last < 100) return;
      last = now;
      render();
    },
    clear() {
      if (line) out.write('\r\x1b[2K');
      line = '';
    },
  };
}
