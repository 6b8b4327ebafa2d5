/** Signing-key derivation and constant-time signature check (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { canonicalRequest, stringToSign, type CanonicalOptions } from './canonical.ts';
import { CONTENT_SHA256_MISMATCH_MESSAGE, SIGNATURE_MISMATCH_MESSAGE, SigV4Error } from './errors.ts';
import type { SignedRequest, SigV4Auth } from './types.ts';
import { first, parseQuery } from './wire.ts';

/** Derived signing keys by (date, region, service, secret), most recently used last: a key serves a whole day of a client's calls. */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_KEPT = 1000;

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * The SigV4 signing key, HMAC chain of the secret over date, region, service and "aws4_request"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key),
 * derived once per day, region and service and then reused: four of the five HMACs of a check.
 */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secretAccessKey}`;
  let key = signingKeys.get(id);
  if (key) {
    signingKeys.delete(id);
  } else {
    key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= SIGNING_KEYS_KEPT) signingKeys.delete(signingKeys.keys().next().value!);
  }
  signingKeys.set(id, key);
  return key;
}

/** Internal: the hex signature the server expects for this request. */
export function expectedSignature(req: SignedRequest, auth: SigV4Auth, secretAccessKey: string, opts: CanonicalOptions): string {
  const toSign = stringToSign(auth, canonicalRequest(req, auth, opts));
  return createHmac('sha256', signingKey(secretAccessKey, auth.scopeDate, auth.region, auth.service))
    .update(toSign, 'utf8')
    .digest('hex');
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Canonicalisation variants a genuine signer may have used, tried in order (the count depends only on
 * the request's shape): the standard one; for a presigned URL carrying X-Amz-Security-Token, the token
 * appended after presigning (aws-c-auth's omit_session_token, IoT style; the pipeline still validates
 * the token for the key); for S3 presigned without x-amz-content-sha256, the body's SHA-256 instead of
 * UNSIGNED-PAYLOAD (stronger than UNSIGNED-PAYLOAD, so safe to accept).
 */
function variants(req: SignedRequest, auth: SigV4Auth, s3: boolean): CanonicalOptions[] {
  let out: CanonicalOptions[] = [{ s3 }];
  if (auth.kind !== 'query') return out;
  if (parseQuery(req.rawQuery)['X-Amz-Security-Token'] !== undefined) out = [...out, ...out.map((v) => ({ ...v, unsignedQueryToken: true }))];
  if (s3 && req.headers['x-amz-content-sha256'] === undefined) out = [...out, ...out.map((v) => ({ ...v, presignedBodyHash: true }))];
  return out;
}

/**
 * Throws SigV4Error('signature') unless the request carries a valid signature for `secretAccessKey`.
 * A hex x-amz-content-sha256 must also match the body actually received ('content-sha256'), or a declared hash would
 * let the body be swapped (the hash, not the body, is what the signature covers).
 */
export async function verifySignature(req: SignedRequest, auth: SigV4Auth, secretAccessKey: string, opts: { s3: boolean }): Promise<void> {
  let ok = false;
  for (const variant of variants(req, auth, opts.s3)) {
    if (sameSignature(expectedSignature(req, auth, secretAccessKey, variant), auth.signature)) {
      ok = true;
      break;
    }
  }
  if (!ok) throw new SigV4Error('signature', SIGNATURE_MISMATCH_MESSAGE);
  const declared = first(req.headers['x-amz-content-sha256']);
  if (declared !== undefined && /^[0-9a-f]{64}$/i.test(declared)) {
    const actual = hash('sha256', req.body, 'hex');
    if (actual !== declared.toLowerCase()) {
      throw new SigV4Error('content-sha256', CONTENT_SHA256_MISMATCH_MESSAGE);
    }
  }
}
