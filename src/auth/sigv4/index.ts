/** Server-side AWS Signature Version 4 verifier (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html; the aws-c-auth
 * test vectors: vectors.test.ts). */
export type { SignedRequest, SigV4Auth } from './types.ts';
export { SigV4Error, type SigV4FailureKind } from './errors.ts';
export { parseSigV4 } from './parse.ts';
export { checkRequestTime } from './time.ts';
export { verifySignature } from './verify.ts';
export { computePayloadHash, canonicalRequest } from './canonical.ts';
