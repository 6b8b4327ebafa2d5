/** Server-side AWS Signature Version 4 verifier (spec cloudtrail-codestar §"Signature Version 4 verification"; vectors in shared/sigv4-vectors). */
export type { SignedRequest, SigV4Auth } from './types.ts';
export { SigV4Error, type SigV4FailureKind } from './errors.ts';
export { parseSigV4 } from './parse.ts';
export { checkRequestTime } from './time.ts';
export { verifySignature } from './verify.ts';
export { computePayloadHash, canonicalRequest } from './canonical.ts';
