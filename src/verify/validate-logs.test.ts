/** validateLogs over an in-memory bucket: the verdicts and output lines of `aws cloudtrail validate-logs` (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/validate-logs.html). */
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { validateLogs, type FatalError, type ValidateOptions } from './index.ts';
import type { MemoryObjects } from './objects.ts';
import type { CloudTrailReader, PublicKey } from './public-keys.ts';
import { generateChain, newSigningKey, signedDigest, toMemory, type Chain } from './testing/chain.ts';

const START = new Date('2026-11-24T00:00:00Z');
const key = newSigningKey();

function cloudTrail(
  chain: Chain,
  windows: { key: PublicKey; from: Date; to: Date }[] = [{ key: key.publicKey, from: new Date(0), to: new Date('2100-01-01') }],
) {
  const calls: [string, string][] = [];
  const ct: CloudTrailReader = {
    async describeTrails() {
      return [{ TrailARN: chain.trailArn, S3BucketName: chain.bucket }];
    },
    async listPublicKeys(start, end) {
      calls.push([start.toISOString(), end.toISOString()]);
      return windows.filter((w) => w.from <= end && w.to >= start).map((w) => w.key);
    },
  };
  return { ct, calls };
}

async function run(chain: Chain, objects: MemoryObjects, extra: Partial<ValidateOptions> = {}, ct = cloudTrail(chain).ct) {
  const r = await validateLogs(
    { trailArn: chain.trailArn, start: START, end: new Date('2026-11-24T06:00:00Z'), verbose: true, ...extra },
    { s3: objects, cloudTrail: ct },
  );
  const text = (s: string) =>
    r.lines
      .filter((l) => l.stream === s)
      .map((l) => l.text)
      .join('');
  return { ...r, stdout: text('stdout'), stderr: text('stderr') };
}

const chain3 = (more: Partial<Parameters<typeof generateChain>[0]> = {}) =>
  generateChain({ start: START, digests: 3, logsPerDigest: 4, keyPair: key, ...more });
const uri = (c: Chain, k: string) => `s3://${c.bucket}/${k}`;
const gunzip = (b: Buffer) => gunzipSync(b).toString();

describe('validateLogs', () => {
  it('reports every digest and log file valid, newest digest first, with the CLI summary', async () => {
    const c = chain3();
    const r = await run(c, toMemory(c));
    assert.equal(r.exitCode, 0);
    assert.deepEqual(
      [r.digests, r.logs],
      [
        { valid: 3, total: 3 },
        { valid: 12, total: 12 },
      ],
    );
    const expected = [`Validating log files for trail ${c.trailArn} between 2026-11-24T00:00:00Z and 2026-11-24T06:00:00Z\n\n`];
    for (let i = 2; i >= 0; i--) {
      expected.push(`Digest file\t${uri(c, c.digestKeys[i]!)}\tvalid\n`);
      for (const l of c.logKeys[i]!) expected.push(`Log file\t${uri(c, l)}\tvalid\n`);
    }
    // CLI 2.9.19's found start: the last digest starting *after* --start-time (here 01:00, not 00:00)
    expected.push(
      '\n',
      'Results requested for 2026-11-24T00:00:00Z to 2026-11-24T06:00:00Z\nResults found for 2026-11-24T01:00:00Z to 2026-11-24T03:00:00Z:\n\n3/3 digest files valid\n12/12 log files valid\n',
    );
    assert.equal(r.stdout, expected.join(''));
    assert.equal(r.stderr, '');
  });

  it('gives the same output at any concurrency', async () => {
    const c = generateChain({ start: START, digests: 4, logsPerDigest: 9, keyPair: key });
    const m = toMemory(c);
    m.put(c.bucket, c.logKeys[2]![3]!, gzipSync('{"Records":[]}'));
    m.delete(c.bucket, c.logKeys[1]![0]!);
    const one = await run(c, m, { concurrency: 1 });
    const many = await run(c, m, { concurrency: 32 });
    assert.deepEqual(many.lines, one.lines);
    assert.deepEqual(many.logs, { valid: 34, total: 36 });
  });

  it("flags an altered log file: hash value doesn't match, exit 1", async () => {
    const c = chain3();
    const m = toMemory(c);
    m.put(c.bucket, c.logKeys[1]![2]!, gzipSync('{"Records":[{"eventName":"forged"}]}'));
    const r = await run(c, m, { verbose: false });
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, `Log file\t${uri(c, c.logKeys[1]![2]!)}\tINVALID: hash value doesn't match\n\n`);
    assert.match(r.stdout, /\n3\/3 digest files valid\n11\/12 log files valid, 1\/12 log files INVALID\n$/);
  });

  it('flags a deleted log file as not found and a non-gzip one as invalid format', async () => {
    const c = chain3();
    const m = toMemory(c);
    m.delete(c.bucket, c.logKeys[0]![0]!);
    m.put(c.bucket, c.logKeys[0]![1]!, Buffer.from('not gzip'));
    const r = await run(c, m);
    assert.equal(
      r.stderr,
      `\nLog file\t${uri(c, c.logKeys[0]![0]!)}\tINVALID: not found\n\nLog file\t${uri(c, c.logKeys[0]![1]!)}\tINVALID: invalid format\n\n`,
    );
    assert.deepEqual(r.logs, { valid: 10, total: 12 });
    assert.equal(r.exitCode, 1);
  });

  it('flags an altered digest (signature verification failed), skips its logs and goes on down the listing', async () => {
    const c = chain3();
    const m = toMemory(c);
    const d = c.objects.find((o) => o.key === c.digestKeys[2])!;
    const json = JSON.parse(gunzip(d.body));
    json.logFiles.pop();
    m.put(c.bucket, d.key, gzipSync(JSON.stringify(json)), d.metadata);
    const r = await run(c, m, { verbose: false });
    assert.equal(r.stderr, `Digest file\t${uri(c, c.digestKeys[2]!)}\tINVALID: signature verification failed\n\n`);
    assert.deepEqual([r.digests, r.logs, r.exitCode], [{ valid: 2, total: 3 }, { valid: 8, total: 8 }, 1]);
    assert.match(
      r.stdout,
      /Results found for 2026-11-24T01:00:00Z to 2026-11-24T02:00:00Z:\n\n2\/3 digest files valid, 1\/3 digest files INVALID\n8\/8 log files valid\n$/,
    );
  });

  it('flags a digest without signature metadata, and one that is not gzip', async () => {
    const c = chain3();
    const m = toMemory(c);
    const d2 = c.objects.find((o) => o.key === c.digestKeys[2])!;
    m.put(c.bucket, d2.key, d2.body, { 'signature-algorithm': 'SHA256withRSA' });
    m.put(c.bucket, c.digestKeys[0]!, Buffer.from('{}'), d2.metadata);
    const r = await run(c, m, { verbose: false });
    assert.equal(
      r.stderr,
      `Digest file\t${uri(c, c.digestKeys[2]!)}\tINVALID: signature verification failed\n\nDigest file\t${uri(c, c.digestKeys[0]!)}\tINVALID: invalid format\n\n`,
    );
  });

  it('flags a digest moved from its original location', async () => {
    const c = chain3();
    const m = toMemory(c);
    const moved = c.digestKeys[2]!.replace('T030000Z', 'T033000Z');
    const d = c.objects.find((o) => o.key === c.digestKeys[2])!;
    m.put(c.bucket, moved, d.body, d.metadata);
    const r = await run(c, m, { verbose: false });
    assert.equal(r.stderr, `Digest file\t${uri(c, moved)}\tINVALID: has been moved from its original location\n\n`);
    assert.deepEqual(
      [r.digests, r.logs],
      [
        { valid: 3, total: 4 },
        { valid: 12, total: 12 },
      ],
    );
  });

  it('reports a deleted middle digest as not found and resumes from the listing', async () => {
    const c = chain3();
    const m = toMemory(c);
    m.delete(c.bucket, c.digestKeys[1]!);
    const r = await run(c, m);
    assert.equal(r.stderr, `\nDigest file\t${uri(c, c.digestKeys[1]!)}\tINVALID: not found\n\n`);
    assert.ok(r.stdout.includes(`Digest file\t${uri(c, c.digestKeys[0]!)}\tvalid\n`));
    assert.deepEqual([r.digests, r.logs, r.exitCode], [{ valid: 2, total: 3 }, { valid: 8, total: 8 }, 1]);
  });

  it('reports a gap before a starting digest in the middle, which is not a failure', async () => {
    const early = generateChain({ start: START, digests: 1, logsPerDigest: 1, keyPair: key });
    const late = generateChain({ start: new Date('2026-11-24T03:00:00Z'), digests: 2, logsPerDigest: 1, keyPair: key });
    const r = await run(late, toMemory(early, late), { verbose: false });
    assert.equal(r.stderr, 'No log files were delivered by CloudTrail between 2026-11-24T01:00:00Z and 2026-11-24T03:00:00Z\n\n');
    assert.deepEqual([r.digests, r.logs, r.exitCode], [{ valid: 3, total: 3 }, { valid: 3, total: 3 }, 0]);
  });

  it('accepts digests with empty logFiles and prints no log ratio', async () => {
    const c = chain3({ logsPerDigest: 0 });
    const r = await run(c, toMemory(c), { verbose: false });
    assert.ok(
      r.stdout.endsWith(
        '\n\nResults requested for 2026-11-24T00:00:00Z to 2026-11-24T06:00:00Z\nResults found for 2026-11-24T01:00:00Z to 2026-11-24T03:00:00Z:\n\n3/3 digest files valid\n',
      ),
      r.stdout,
    );
    assert.equal(r.exitCode, 0);
  });

  it('validates backfill digests in a second pass, loading keys around their generation time', async () => {
    const c = chain3();
    const late = newSigningKey();
    const b = generateChain({
      start: new Date('2026-11-24T03:00:00Z'),
      digests: 2,
      logsPerDigest: 2,
      keyPair: late,
      backfill: true,
      generatedAt: new Date('2026-12-01T10:00:00Z'),
    });
    const { ct, calls } = cloudTrail(c, [
      { key: key.publicKey, from: new Date(0), to: new Date('2026-11-30T00:00:00Z') },
      { key: late.publicKey, from: new Date('2026-12-01T00:00:00Z'), to: new Date('2100-01-01') },
    ]);
    const r = await run(c, toMemory(c, b), {}, ct);
    assert.deepEqual(calls, [
      ['2026-11-24T00:00:00.000Z', '2026-11-24T08:00:00.000Z'],
      ['2026-12-01T09:00:00.000Z', '2026-12-01T11:00:00.000Z'],
    ]);
    assert.ok(r.stdout.includes(`(backfill) Digest file\t${uri(b, b.digestKeys[1]!)}\tvalid\n`));
    assert.match(
      r.stdout,
      /Results found for 2026-11-24T01:00:00Z to 2026-11-24T05:00:00Z:\n\n3\/3 digest files valid\n2\/2 backfill digest files valid\n16\/16 log files valid\n$/,
    );
    assert.deepEqual([r.backfillDigests, r.exitCode], [{ valid: 2, total: 2 }, 0]);
  });

  it('flags a backfill digest without backfill-generation-timestamp as invalid format', async () => {
    const c = chain3();
    const b = generateChain({ start: new Date('2026-11-24T03:00:00Z'), digests: 1, logsPerDigest: 0, keyPair: key, backfill: true });
    const m = toMemory(c, b);
    const d = b.objects.at(-1)!;
    m.put(b.bucket, d.key, d.body, { signature: d.metadata['signature']!, 'signature-algorithm': 'SHA256withRSA' });
    const r = await run(c, m, { verbose: false });
    assert.equal(r.stderr, `(backfill) Digest file\t${uri(b, d.key)}\tINVALID: invalid format\n\n`);
    assert.match(r.stdout, /\n3\/3 digest files valid\n0\/1 backfill digest files valid, 1\/1 backfill digest files INVALID\n12\/12 log files valid\n$/);
  });

  it('flags a digest signed by an unknown key', async () => {
    const c = chain3();
    const other = newSigningKey();
    const m = toMemory(c);
    const d = c.objects.find((o) => o.key === c.digestKeys[2])!;
    const json = { ...JSON.parse(gunzip(d.body)), digestPublicKeyFingerprint: other.publicKey.fingerprint };
    const o = signedDigest(c.bucket, d.key, json, other.privateKey);
    m.put(c.bucket, o.key, o.body, o.metadata);
    const r = await run(c, m, { verbose: false });
    assert.equal(
      r.stderr,
      `Digest file\t${uri(c, d.key)}\tINVALID: public key not found in region us-east-1 for fingerprint ${other.publicKey.fingerprint}\n\n`,
    );
  });

  it('only reads digests of the requested window and says when there are none', async () => {
    const c = generateChain({ start: START, digests: 6, logsPerDigest: 1, keyPair: key });
    const r = await run(c, toMemory(c), { start: new Date('2026-11-24T02:30:00Z'), end: new Date('2026-11-24T03:30:00Z'), verbose: false });
    assert.match(r.stdout, /Results found for 2026-11-24T03:00:00Z to 2026-11-24T03:30:00Z:\n\n2\/2 digest files valid\n2\/2 log files valid\n$/);
    const none = await run(c, toMemory(c), { start: new Date('2026-11-25T00:00:00Z'), end: new Date('2026-11-25T01:00:00Z') });
    assert.equal(none.stdout.split('\n\n')[1], 'Results requested for 2026-11-25T00:00:00Z to 2026-11-25T01:00:00Z\nNo digests found\n');
    assert.equal(none.exitCode, 0);
  });

  it("stops with the CLI's errors: bad ARN, unknown trail, no public keys", async () => {
    const c = chain3();
    await assert.rejects(
      run({ ...c, trailArn: 'arn:aws:cloudtrail:us-east-1:12345:trail/x' }, toMemory(c)),
      (e: FatalError) => e.exitCode === 252 && e.message === 'Invalid trail ARN provided: arn:aws:cloudtrail:us-east-1:12345:trail/x',
    );
    await assert.rejects(
      run({ ...c, trailArn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/other' }, toMemory(c), {}, cloudTrail(c).ct),
      /A trail could not be found for arn:aws:cloudtrail:us-east-1:123456789012:trail\/other/,
    );
    await assert.rejects(
      run(c, toMemory(c), {}, cloudTrail(c, []).ct),
      /^FatalError: No public keys found between 2026-11-24T00:00:00Z and 2026-11-24T08:00:00Z$/,
    );
  });
});
