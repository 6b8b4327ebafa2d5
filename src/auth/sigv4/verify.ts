/** Signing-key derivation and constant-time signature check (spec cloudtrail-codestar §"Signature Version 4 verification", steps 5–6). */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getSigningKey } from '@smithy/signature-v4';
import { canonicalRequest, sha256, stringToSign, type CanonicalOptions } from './canonical.ts';
import { CONTENT_SHA256_MISMATCH_MESSAGE, SIGNATURE_MISMATCH_MESSAGE, SigV4Error } from './errors.ts';
import type { SignedRequest, SigV4Auth } from './types.ts';
import { first, parseQuery } from './wire.ts';

/** Internal: the hex signature the server expects for this request. */
export async function expectedSignature(req: SignedRequest, auth: SigV4Auth, secretAccessKey: string, opts: CanonicalOptions): Promise<string> {
  const toSign = await stringToSign(auth, canonicalRequest(req, auth, opts));
  const credentials = { accessKeyId: auth.accessKeyId, secretAccessKey };
  const key = await getSigningKey(sha256, credentials, auth.scopeDate, auth.region, auth.service);
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Throws SigV4Error('signature') unless the request carries a valid signature for `secretAccessKey`.
 * A presigned URL whose X-Amz-Security-Token was appended after signing (aws-c-auth's
 * omit_session_token mode) is also accepted; the pipeline still validates the token for the key.
 * A hex x-amz-content-sha256 must match the body actually received, or a signed declared hash
 * would let the body be swapped.
 */
export async function verifySignature(req: SignedRequest, auth: SigV4Auth, secretAccessKey: string, opts: { s3: boolean }): Promise<void> {
  let ok = sameSignature(await expectedSignature(req, auth, secretAccessKey, { s3: opts.s3 }), auth.signature);
  if (!ok && auth.kind === 'query' && parseQuery(req.rawQuery)['X-Amz-Security-Token'] !== undefined) {
    ok = sameSignature(await expectedSignature(req, auth, secretAccessKey, { s3: opts.s3, unsignedQueryToken: true }), auth.signature);
  }
  if (!ok) throw new SigV4Error('signature', SIGNATURE_MISMATCH_MESSAGE);
  const declared = first(req.headers['x-amz-content-sha256']);
  if (declared !== undefined && /^[0-9a-f]{64}$/i.test(declared)) {
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (actual !== declared.toLowerCase()) {
      throw new SigV4Error('signature', opts.s3 ? CONTENT_SHA256_MISMATCH_MESSAGE : SIGNATURE_MISMATCH_MESSAGE);
    }
  }
}
