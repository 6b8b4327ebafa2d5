/**
 * Trail delivery through the official clients, for the delivery e2e tests: the bucket policy
 * CloudTrail needs (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html), polling a bucket with @aws-sdk/client-s3, reading
 * delivered log files, and the official `aws cloudtrail validate-logs` run through
 * the aws-cli-local-s3 plugin (the directory src/reference-data.ts names), which points the CLI's S3 reads at the server.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_S3_PLUGIN_DIR } from '../../../src/reference-data.ts';
import { PROJECT_ROOT, type Credentials } from './server.ts';

const PLUGIN_DIR = LOCAL_S3_PLUGIN_DIR;
const OWN_PLUGINS = join(dirname(fileURLToPath(import.meta.url)), 'aws-cli-plugins');

/** The policy of https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html: ACL check on the bucket, writes under AWSLogs/<acct>/ with bucket-owner-full-control, bound to the trail. */
export function cloudTrailBucketPolicy(bucket: string, account: string, trailArn?: string, prefix?: string): string {
  const source = trailArn ? { StringEquals: { 'aws:SourceArn': trailArn } } : undefined;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck20150319',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}`,
        ...(source ? { Condition: source } : {}),
      },
      {
        Sid: 'AWSCloudTrailWrite20150319',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${account}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...(trailArn ? { 'aws:SourceArn': trailArn } : {}) } },
      },
    ],
  });
}

export function s3Client(endpoint: string, credentials: Credentials): S3Client {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(r.Contents ?? []).map((c) => c.Key!));
    token = r.NextContinuationToken;
  } while (token);
  return keys;
}

/** The uncompressed text of a delivered (gzipped) object. */
export async function readGzip(s3: S3Client, bucket: string, key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return gunzipSync(Buffer.from(await r.Body!.transformToByteArray())).toString('utf8');
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `/usr/bin/aws cloudtrail validate-logs` with the local-S3 plugin: CloudTrail calls to `endpoint`, S3 reads from `s3Endpoint`,
 * and (our plugin, aws-cli-plugins/) Organizations' DescribeOrganization of an organization trail to `endpoint` too. The
 * plugins directory is made per run: a link to the local-S3 plugin where it lives, and ours.
 */
export function officialValidateLogs(endpoint: string, s3Endpoint: string, creds: Credentials, args: string[], region = 'us-east-1'): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'validate-logs-cfg-'));
  const config = join(dir, 'config');
  const plugins = join(dir, 'plugins');
  mkdirSync(plugins);
  symlinkSync(join(PLUGIN_DIR, 'local_s3_endpoint.py'), join(plugins, 'local_s3_endpoint.py'));
  symlinkSync(join(OWN_PLUGINS, 'local_organizations_endpoint.py'), join(plugins, 'local_organizations_endpoint.py'));
  writeFileSync(
    config,
    `[default]\nregion = ${region}\n[plugins]\ncli_legacy_plugin_path = ${plugins}\nlocal_s3 = local_s3_endpoint\nlocal_organizations = local_organizations_endpoint\n`,
  );
  const r = spawnSync('/usr/bin/aws', ['--endpoint-url', endpoint, '--region', region, 'cloudtrail', 'validate-logs', ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      LOCAL_S3_ENDPOINT: s3Endpoint,
      LOCAL_ORGANIZATIONS_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** startrail's own `validate-logs` (src/cli/main.ts) against the server at `endpoint`, with `creds` and no shared config files. */
export function startrailValidateLogs(endpoint: string, creds: Credentials, args: string[], region = 'us-east-1'): CliRun {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'validate-logs', '--endpoint-url', endpoint, '--region', region, ...args, '--no-progress'],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** AWS's log-file and digest key shapes (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html ; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html). */
export const LOG_KEY =
  /^(?:.+\/)?AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
export const DIGEST_KEY =
  /^(?:.+\/)?AWSLogs\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail-Digest_\2_[A-Za-z0-9._-]+_[a-z0-9-]+_\3\4\5T\d{6}Z\.json\.gz$/;
