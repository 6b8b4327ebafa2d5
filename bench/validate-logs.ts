/**
 * validate-logs benchmark (the goal: faster than the official
 * one; docs/architecture.md#verify).
 * Generates a signed chain (src/verify/testing), puts it in s3rver, and times on the same chain:
 * the official `/usr/bin/aws cloudtrail validate-logs` (through the aws-cli-local-s3 plugin of src/reference-data.ts),
 * `startrail validate-logs` at its default concurrency and at 1, and `validateLogs` in-process (no
 * process start). Prints files/s and MB/s (gzipped bytes of digests + logs read); asserts nothing.
 * s3rver answers in about a millisecond, far quicker than S3 (tens of ms per GET), which favours a
 * sequential client; `latencyMs` puts a proxy in front of it that holds each request that long.
 *
 *   node --import tsx bench/validate-logs.ts [digests=24] [logsPerDigest=30] [recordsPerLog=300] [rounds=2] [latencyMs=0]
 */
import { existsSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateLogs } from '../src/verify/index.ts';
import { createS3Client, s3ObjectReader } from '../src/verify/s3-reader.ts';
import { generateChain } from '../src/verify/testing/chain.ts';
import {
  officialValidateLogs,
  putChain,
  S3RVER_CREDENTIALS,
  startCloudTrailStub,
  startrailValidateLogs,
  startS3rver,
  type RunResult,
} from '../src/verify/testing/services.ts';

const [digests = 24, logsPerDigest = 30, recordsPerLog = 300, rounds = 2, latencyMs = 0] = process.argv.slice(2).map(Number);
const START = new Date('2026-11-01T00:00:00Z');
const closers: (() => void)[] = [];
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const chain = generateChain({ start: START, digests, logsPerDigest, recordsPerLog });
const files = chain.objects.length;
const mb = chain.objects.reduce((a, o) => a + o.body.length, 0) / 1e6;
const s3 = await startS3rver();
const ct = await startCloudTrailStub([chain], [chain.key.publicKey]);
await putChain(s3, chain);
const s3Endpoint = latencyMs > 0 ? await delayingProxy(s3.endpoint, latencyMs) : s3.endpoint;
console.log(
  `chain: ${digests} digests, ${digests * logsPerDigest} log files of ${recordsPerLog} records; ${files} objects, ${mb.toFixed(1)} MB gzipped, in s3rver 3.7.1${latencyMs > 0 ? `, ${latencyMs} ms added per S3 request` : ''}`,
);

/** Forwards every request to `target` after `ms`, like a far-away S3. */
async function delayingProxy(target: string, ms: number): Promise<string> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((req, res) => {
    setTimeout(() => {
      const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    }, ms);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
    agent.destroy();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const args = ['--trail-arn', chain.trailArn, '--start-time', iso(START), '--end-time', iso(chain.end)];
const runs: Record<string, () => Promise<RunResult>> = {
  'aws cloudtrail validate-logs (2.9.19)': () => officialValidateLogs(ct.endpoint, s3Endpoint, args),
  'startrail validate-logs': () => startrailValidateLogs(ct.endpoint, s3Endpoint, args),
  'startrail validate-logs --concurrency 1': () => startrailValidateLogs(ct.endpoint, s3Endpoint, [...args, '--concurrency', '1']),
  'validateLogs() in-process': async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey });
    const client = createS3Client({ region: 'us-east-1', endpoint: s3Endpoint });
    const t0 = performance.now();
    try {
      const r = await validateLogs(
        { trailArn: chain.trailArn, start: START, end: chain.end },
        {
          s3: s3ObjectReader(client),
          cloudTrail: {
            describeTrails: async () => [{ TrailARN: chain.trailArn, S3BucketName: chain.bucket }],
            listPublicKeys: async () => [chain.key.publicKey],
          },
        },
      );
      const text = r.lines.map((l) => l.text).join('');
      return { status: r.exitCode, stdout: text, stderr: '', ms: performance.now() - t0 };
    } finally {
      client.destroy();
    }
  },
};
if (!existsSync('/usr/bin/aws')) delete runs['aws cloudtrail validate-logs (2.9.19)'];

const best: Record<string, RunResult> = {};
try {
  for (let i = 0; i < rounds; i++) {
    for (const [name, run] of Object.entries(runs)) {
      const r = await run();
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.slice(0, 400)}`);
      if (!best[name] || r.ms < best[name].ms) best[name] = r;
    }
  }
} finally {
  for (const close of closers) close();
  await ct.close();
  await s3.close();
}

const official = best['aws cloudtrail validate-logs (2.9.19)'];
console.log(`\nbest of ${rounds}:`);
for (const [name, r] of Object.entries(best)) {
  const s = r.ms / 1000;
  const vs = official && r !== official ? `  ${(official.ms / r.ms).toFixed(2)}× the official` : '';
  console.log(`${name.padEnd(42)} ${s.toFixed(2).padStart(7)} s  ${(files / s).toFixed(0).padStart(6)} files/s  ${(mb / s).toFixed(2).padStart(7)} MB/s${vs}`);
}
const summary = (r?: RunResult) => r?.stdout.trimEnd().split('\n\n').at(-1);
if (official)
  console.log(
    `\nsame summary as the official: ${summary(official) === summary(best['startrail validate-logs']) ? 'yes' : 'NO'} (${summary(official)?.replace(/\n/g, ' / ')})`,
  );
