/** Official clients pointed at a test server: SDK client options and the AWS CLI v2 (/usr/bin/aws). */
import { spawnSync } from 'node:child_process';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Credentials } from './server.ts';

export function sdkConfig(endpoint: string, credentials: Credentials, region = 'us-east-1') {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

/**
 * `n` STS GetCallerIdentity calls (each recorded in CloudTrail) spread over one SDK client per
 * endpoint, concurrently; the request ids answered. `maxAttempts` > 1 retries as the SDK does by
 * default, e.g. a call whose connection a killed process dropped.
 */
export async function callerIdentityCalls(endpoints: string[], credentials: Credentials, n: number, maxAttempts = 1): Promise<string[]> {
  const clients = endpoints.map((endpoint) => new STSClient({ ...sdkConfig(endpoint, credentials), maxAttempts }));
  try {
    const r = await Promise.all(Array.from({ length: n }, (_, i) => clients[i % clients.length]!.send(new GetCallerIdentityCommand({}))));
    return r.map((x) => x.$metadata.requestId!);
  } finally {
    for (const c of clients) c.destroy();
  }
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  json?: any;
}

/** Runs `/usr/bin/aws <args>` against the endpoint with the given credentials; parses JSON output when there is any. */
export function awsCli(endpoint: string, credentials: Credentials, args: string[], region = 'us-east-1'): CliResult {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_PAGER: '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  const r = spawnSync('/usr/bin/aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, encoding: 'utf8' });
  let json: any;
  try {
    json = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}
