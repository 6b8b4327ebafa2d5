// Role: case 5, validate-logs: files and MB per second of `startrail validate-logs` against the official `aws cloudtrail validate-logs` on the same signed chain (src/verify/testing fixtures, s3rver).
import { existsSync } from 'node:fs';
import type { Ctx } from '../lib/context.ts';

const START = new Date('2026-11-01T00:00:00Z');

export async function validateLogsCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const c = 'validate-logs';
  // The fixtures (chain generator, s3rver, DescribeTrails/ListPublicKeys stub, both validators as processes) belong to the
  // verify work; until startrail's own trails deliver digests, they are the only chain there is.
  let chainMod: typeof import('../../src/verify/testing/chain.ts');
  let services: typeof import('../../src/verify/testing/services.ts');
  try {
    chainMod = await import('../../src/verify/testing/chain.ts');
    services = await import('../../src/verify/testing/services.ts');
  } catch (e) {
    const why = `fixtures not loadable: ${(e as Error).message.split('\n')[0]}`;
    log(`${c}: not available: ${why}`);
    report.skip(c, 'files/s and MB/s', `not available: ${why}`);
    return;
  }
  const spec = ctx.quick ? { digests: 6, logsPerDigest: 20, recordsPerLog: 200 } : { digests: 24, logsPerDigest: 30, recordsPerLog: 500 };
  const chain = chainMod.generateChain({ start: START, ...spec });
  const files = chain.objects.length;
  const mb = chain.objects.reduce((a, o) => a + o.body.length, 0) / 2 ** 20;
  log(
    `${c}: chain of ${spec.digests} digests and ${spec.digests * spec.logsPerDigest} log files (${spec.recordsPerLog} records each, ${mb.toFixed(1)} MB gzipped) in s3rver`,
  );
  const s3 = await services.startS3rver();
  const ct = await services.startCloudTrailStub([chain], [chain.key.publicKey]);
  try {
    await services.putChain(s3, chain);
    const args = [
      '--trail-arn',
      chain.trailArn,
      '--start-time',
      START.toISOString().replace(/\.000Z$/, 'Z'),
      '--end-time',
      new Date(chain.end.getTime() + 3_600_000).toISOString().replace(/\.000Z$/, 'Z'),
    ];
    // The same command over an hour with no digests: process start, DescribeTrails, ListPublicKeys, one listing.
    const emptyArgs = ['--trail-arn', chain.trailArn, '--start-time', '2026-10-01T00:00:00Z', '--end-time', '2026-10-01T01:00:00Z'];
    const fixed = {
      startrail: (await services.startrailValidateLogs(ct.endpoint, s3.endpoint, emptyArgs)).ms,
      official: existsSync('/usr/bin/aws') ? (await services.officialValidateLogs(ct.endpoint, s3.endpoint, emptyArgs)).ms : NaN,
    };
    const rounds = ctx.quick ? 1 : 2;
    const best: Record<'startrail' | 'official', { ms: number; status: number; stdout: string; stderr: string } | undefined> = {
      startrail: undefined,
      official: undefined,
    };
    for (let i = 0; i < rounds; i++) {
      for (const who of existsSync('/usr/bin/aws') ? (['startrail', 'official'] as const) : (['startrail'] as const)) {
        const r =
          who === 'startrail'
            ? await services.startrailValidateLogs(ct.endpoint, s3.endpoint, args)
            : await services.officialValidateLogs(ct.endpoint, s3.endpoint, args);
        log(`${c}: ${who} ${(r.ms / 1000).toFixed(2)} s, exit ${r.status}`);
        if (r.status !== 0) throw new Error(`${who} validate-logs exited ${r.status}: ${r.stderr.slice(0, 500)}${r.stdout.slice(-300)}`);
        if (!best[who] || r.ms < best[who]!.ms) best[who] = r;
      }
    }
    const ours = best.startrail!,
      theirs = best.official;
    const rate = (ms: number, base: number) =>
      `${(mb / (ms / 1000)).toFixed(2)} MB/s, ${(ms / 1000).toFixed(2)} s; without the ${(base / 1000).toFixed(1)} s fixed cost ${(files / ((ms - base) / 1000)).toFixed(0)} files/s, ${(mb / ((ms - base) / 1000)).toFixed(2)} MB/s`;
    report.add({
      case: c,
      metric: 'startrail validate-logs',
      value: files / (ours.ms / 1000),
      unit: 'files/s',
      note: `${files} files, ${mb.toFixed(1)} MB: ${rate(ours.ms, fixed.startrail)}`,
    });
    if (theirs) {
      const same = ours.stdout === theirs.stdout && ours.stderr === theirs.stderr;
      report.add({
        case: c,
        metric: 'aws cloudtrail validate-logs',
        value: files / (theirs.ms / 1000),
        unit: 'files/s',
        note: `${rate(theirs.ms, fixed.official)}; same output: ${same ? 'yes' : 'NO'}`,
      });
      report.add({
        case: c,
        metric: 'startrail/official speed',
        value: theirs.ms / ours.ms,
        note: `without fixed costs ${((theirs.ms - fixed.official) / (ours.ms - fixed.startrail)).toFixed(2)}`,
      });
    } else report.skip(c, 'aws cloudtrail validate-logs', 'not available: /usr/bin/aws is not installed');
    report.detail('validateLogs', {
      spec,
      files,
      mb,
      rounds,
      fixedMs: fixed,
      startrailMs: ours.ms,
      officialMs: theirs?.ms,
      sameOutput: theirs ? ours.stdout === theirs.stdout && ours.stderr === theirs.stderr : undefined,
      summary: ours.stdout.trimEnd().split('\n\n').at(-1),
    });
  } finally {
    await ct.close();
    await s3.close();
  }
}
