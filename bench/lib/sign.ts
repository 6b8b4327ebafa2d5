// Role: SigV4 signing of AWS JSON 1.1 requests with @smithy/signature-v4 (the SDK's signer), once before a run; replayable within the 15-minute skew window.
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { WireRequest } from './load.ts';
import type { Credentials, ServerProc } from './procs.ts';

export const TARGET = {
  codestar: { service: 'codestar', prefix: 'CodeStar_20170419' },
  cloudtrail: { service: 'cloudtrail', prefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101' },
} as const;

export async function signJson(
  server: Pick<ServerProc, 'host' | 'port'>,
  creds: Credentials,
  service: keyof typeof TARGET,
  operation: string,
  input: unknown,
  region = 'us-east-1',
): Promise<WireRequest> {
  const t = TARGET[service];
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: t.service, region, credentials: creds, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: server.host,
    port: server.port,
    path: '/',
    query: {},
    headers: {
      host: `${server.host}:${server.port}`,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${t.prefix}.${operation}`,
      'user-agent': 'startrail-bench',
    },
    body,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers[k] = String(v);
  return { method: 'POST', path: '/', headers, body };
}

/** Sends one signed JSON call from this process (set-up calls and NextToken chains, not load). */
export async function call(
  server: ServerProc,
  service: keyof typeof TARGET,
  operation: string,
  input: unknown,
): Promise<{ status: number; json: any; ms: number; requestId: string | null }> {
  const r = await signJson(server, server.root!, service, operation, input);
  const t0 = performance.now();
  const res = await fetch(`${server.endpoint}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, ms, requestId: res.headers.get('x-amzn-requestid') };
}

/** One signed S3 (REST, path-style) request: `path` is /bucket[/key], `query` unencoded pairs. */
export async function s3(
  server: ServerProc,
  method: string,
  path: string,
  query: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: Buffer }> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: server.root!, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const hash = createHash('sha256').update(body).digest('hex');
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: server.host,
    port: server.port,
    path,
    query,
    headers: {
      host: `${server.host}:${server.port}`,
      'x-amz-content-sha256': hash,
      // a body's Content-MD5, which S3 requires of some operations (PutBucketPolicy), as the SDKs send it
      ...(body ? { 'content-type': 'application/json', 'content-md5': createHash('md5').update(body).digest('base64') } : {}),
    },
    body,
  });
  const qs = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers[k] = String(v);
  const res = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, { method, headers, ...(body ? { body } : {}) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}
