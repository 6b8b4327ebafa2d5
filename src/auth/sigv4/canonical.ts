/**
 * Canonical request and string to sign, rebuilt from the received request with @smithy/signature-v4's
 * own canonicalisation (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
import { hash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, SignatureV4, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import type { SignedRequest, SigV4Auth } from './types.ts';
import { first, joined, parseQuery } from './wire.ts';

type SmithyRequest = Parameters<SignatureV4['presign']>[0];
type HeaderBag = ReturnType<typeof getCanonicalHeaders>;

export const sha256 = Hash.bind(null, 'sha256');

export interface CanonicalOptions {
  /** S3: the canonical URI is the raw wire path (no normalisation, no second encoding). */
  s3: boolean;
  /** Leave X-Amz-Security-Token out of the canonical query (token appended after presigning, e.g. IoT). */
  unsignedQueryToken?: boolean;
  /** S3 presigned without x-amz-content-sha256: hash the body instead of UNSIGNED-PAYLOAD (aws-c-auth's presigner does). */
  presignedBodyHash?: boolean;
}

/** Exposes the signer's protected canonicalisation; never signs anything itself. */
class Canonicaliser extends SignatureV4 {
  constructor(uriEscapePath: boolean) {
    super({ service: 'unused', region: 'unused', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256, uriEscapePath });
  }
  canonicalRequest(request: SmithyRequest, headers: HeaderBag, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

/** Non-S3: normalises and escapes the received path again (what the SDKs and botocore sign). */
const standard = new Canonicaliser(true);
const s3Style = new Canonicaliser(false);

/**
 * The payload hash that goes into the canonical request: x-amz-content-sha256 when sent (a hex hash,
 * UNSIGNED-PAYLOAD or STREAMING-…), UNSIGNED-PAYLOAD for presigned S3, else SHA-256 of the body.
 */
export function computePayloadHash(req: SignedRequest, auth: SigV4Auth, s3: boolean): string {
  const declared = first(req.headers['x-amz-content-sha256']);
  if (declared !== undefined) return declared;
  if (s3 && auth.kind === 'query') return UNSIGNED_PAYLOAD;
  return hash('sha256', req.body, 'hex');
}

/** Internal (exported for the vector tests): the canonical request built from exactly the SignedHeaders. */
export function canonicalRequest(req: SignedRequest, auth: SigV4Auth, opts: CanonicalOptions): string {
  const query = parseQuery(req.rawQuery);
  if (opts.unsignedQueryToken) delete query['X-Amz-Security-Token'];
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of auth.signedHeaders) {
    const value = joined(req.headers[name]);
    if (value !== undefined) headers[name] = value;
  }
  const request: SmithyRequest = { method: req.method, protocol: 'https:', hostname: '', path: req.rawPath || '/', query, headers };
  const canonicalHeaders = getCanonicalHeaders(request, new Set(), new Set(auth.signedHeaders));
  const payloadHash = computePayloadHash(req, auth, opts.s3 && !opts.presignedBodyHash);
  return (opts.s3 ? s3Style : standard).canonicalRequest(request, canonicalHeaders, payloadHash);
}

/**
 * Internal: `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256(canonical request)>`, built synchronously
 * (the signer's own is async over its hash class: a microtask hop and an object per call on every request).
 */
export function stringToSign(auth: SigV4Auth, canonical: string): string {
  const digest = hash('sha256', canonical, 'hex');
  return `${ALGORITHM_IDENTIFIER}\n${auth.amzDate}\n${createScope(auth.scopeDate, auth.region, auth.service)}\n${digest}`;
}
