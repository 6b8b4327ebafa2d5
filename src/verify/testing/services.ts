/**
 * TEST FIXTURE (e2e and bench — not product code): the servers both validators talk to, and the
 * two validators as processes. s3rver holds the chain (its quirks, as in src/delivery/external-s3.ts: S3RVER
 * keys, WHEN_REQUIRED checksums, destroy clients before close); `startCloudTrailStub` is a minimal
 * AWS JSON 1.1 endpoint answering only DescribeTrails and ListPublicKeys (single base64 of DER
 * PKCS#1, as https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html says) until startrail's own trails serve them; `officialValidateLogs` runs
 * `/usr/bin/aws cloudtrail validate-logs` with the aws-cli-local-s3 plugin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { Chain, FixtureObject } from './chain.ts';
import type { PublicKey } from '../public-keys.ts';
import { LOCAL_S3_PLUGIN_DIR } from '../../reference-data.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const ROOT = new URL('../../../', import.meta.url).pathname;
const PLUGIN_DIR = LOCAL_S3_PLUGIN_DIR;

export interface S3Fixture {
  endpoint: string;
  client: S3Client;
  put(o: FixtureObject): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3rver(): Promise<S3Fixture> {
  const directory = mkdtempSync(join(tmpdir(), 'validate-logs-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const buckets = new Set<string>();
  return {
    endpoint,
    client,
    async put(o) {
      if (!buckets.has(o.bucket)) {
        await client.send(new CreateBucketCommand({ Bucket: o.bucket })).catch(() => undefined);
        buckets.add(o.bucket);
      }
      await client.send(
        new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.body, Metadata: o.metadata, ContentType: 'application/json', ContentEncoding: 'gzip' }),
      );
    },
    async remove(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      client.destroy();
      (server as unknown as { httpServer: Server }).httpServer.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function putChain(s3: S3Fixture, chain: Chain, parallel = 16): Promise<void> {
  const queue = [...chain.objects];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let o = queue.shift(); o; o = queue.shift()) await s3.put(o);
    }),
  );
}

/** TEST FIXTURE: DescribeTrails + ListPublicKeys over AWS JSON 1.1; everything else is an UnknownOperationException. */
export async function startCloudTrailStub(trails: Chain[], keys: PublicKey[]): Promise<{ endpoint: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      requests.push(`${op} ${body}`);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stub' });
        res.end(JSON.stringify(json));
      };
      if (op === 'DescribeTrails') {
        reply(200, {
          trailList: trails.map((c) => ({
            Name: c.scope.trailName,
            S3BucketName: c.bucket,
            ...(c.scope.prefix ? { S3KeyPrefix: c.scope.prefix } : {}),
            IncludeGlobalServiceEvents: true,
            IsMultiRegionTrail: false,
            HomeRegion: c.scope.homeRegion,
            TrailARN: c.trailArn,
            LogFileValidationEnabled: true,
            HasCustomEventSelectors: false,
            HasInsightSelectors: false,
            IsOrganizationTrail: false,
          })),
        });
      } else if (op === 'ListPublicKeys') {
        reply(200, {
          PublicKeyList: keys.map((k) => ({
            Value: Buffer.from(k.value).toString('base64'),
            ValidityStartTime: 1_700_000_000,
            ValidityEndTime: 4_100_000_000,
            Fingerprint: k.fingerprint,
          })),
        });
      } else {
        reply(400, { __type: 'UnknownOperationException', message: `stub does not serve ${op}` });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  HOME: process.env['HOME'],
  AWS_PAGER: '',
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_MAX_ATTEMPTS: '1',
});

/** `/usr/bin/aws cloudtrail validate-logs …` with S3 read from `s3Endpoint` through the aws-cli-local-s3 plugin. */
export async function officialValidateLogs(cloudTrailEndpoint: string, s3Endpoint: string, args: string[], region = 'us-east-1'): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'validate-logs-cli-'));
  const config = join(dir, 'config');
  writeFileSync(config, `[default]\nregion = ${region}\n[plugins]\ncli_legacy_plugin_path = ${PLUGIN_DIR}\nlocal_s3 = local_s3_endpoint\n`);
  try {
    return await runProcess('/usr/bin/aws', ['--endpoint-url', cloudTrailEndpoint, '--region', region, 'cloudtrail', 'validate-logs', ...args], {
      ...baseEnv(),
      AWS_CONFIG_FILE: config,
      LOCAL_S3_ENDPOINT: s3Endpoint,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A current AWS CLI (v1.45, whose validate-logs has the backfill pass) when this machine has one
 * (pyenv; not installable from the registries we reach); the same plugin, loaded by module name.
 */
export const CURRENT_CLI = '/root/.pyenv/versions/3.11.7/bin/aws';

export async function currentCliValidateLogs(cloudTrailEndpoint: string, s3Endpoint: string, args: string[], region = 'us-east-1'): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'validate-logs-cli1-'));
  const config = join(dir, 'config');
  writeFileSync(config, `[default]\nregion = ${region}\n[plugins]\nlocal_s3 = local_s3_endpoint\n`);
  try {
    return await runProcess(CURRENT_CLI, ['--endpoint-url', cloudTrailEndpoint, '--region', region, 'cloudtrail', 'validate-logs', ...args], {
      ...baseEnv(),
      AWS_CONFIG_FILE: config,
      LOCAL_S3_ENDPOINT: s3Endpoint,
      PYTHONPATH: PLUGIN_DIR,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `node --import tsx src/cli/main.ts validate-logs …` against the same endpoints. */
export function startrailValidateLogs(cloudTrailEndpoint: string, s3Endpoint: string, args: string[], region = 'us-east-1'): Promise<RunResult> {
  return runProcess(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'validate-logs', '--endpoint-url', cloudTrailEndpoint, '--s3-endpoint-url', s3Endpoint, '--region', region, ...args],
    { ...baseEnv(), AWS_CONFIG_FILE: '/dev/null' },
  );
}
