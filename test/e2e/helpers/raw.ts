/**
 * Raw signed requests for the cases official clients refuse to send (malformed bodies, unknown
 * operations). Signs with @smithy/signature-v4 — the signer inside the AWS SDK — so the server's
 * verification is exercised exactly as with the SDK.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from './server.ts';

export interface RawResponse {
  status: number;
  body: string;
  headers: Headers;
}

export async function signedFetch(
  endpoint: string,
  creds: Credentials,
  service: string,
  headers: Record<string, string>,
  body: string | Buffer,
  region = 'us-east-1',
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service, region, credentials: creds, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, ...headers },
    body,
  });
  const r = await fetch(endpoint, { method: 'POST', headers: signed.headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: r.status, body: await r.text(), headers: r.headers };
}

export const json = (target: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target });
export const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
