/** SigV4 failure type and AWS's exact messages (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */

export type SigV4FailureKind =
  | 'missing' // no Authorization header and no X-Amz-Algorithm/X-Amz-Credential query → MissingAuthenticationToken
  | 'incomplete' // present but malformed → IncompleteSignature
  | 'signature' // signature mismatch → InvalidSignatureException / SignatureDoesNotMatch
  | 'skew'; // outside the time window (past or future), or presigned URL expired

export class SigV4Error extends Error {
  constructor(
    readonly kind: SigV4FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'SigV4Error';
  }
}

export const MISSING_MESSAGE = 'Missing Authentication Token';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** S3's text when a hex x-amz-content-sha256 does not match the body received. */
export const CONTENT_SHA256_MISMATCH_MESSAGE = "The provided 'x-amz-content-sha256' header does not match what was computed.";

export const EXPIRED_PRESIGNED_MESSAGE = 'Request has expired';

export const incomplete = (message: string): SigV4Error => new SigV4Error('incomplete', message);
