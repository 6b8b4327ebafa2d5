/** SigV4 failure type and AWS's exact messages (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */

/**
 * What went wrong, as the verifier found it; each wire protocol spells every kind its own way
 * (src/protocol/*: `errors.sigv4`), so the kind travels unchanged from here to the response.
 */
export type SigV4FailureKind =
  | 'missing' // no Authorization header and no X-Amz-Algorithm/X-Amz-Credential query
  | 'incomplete' // present but malformed
  | 'scope' // the credential is scoped to another service, or to a region that is not one
  | 'skew' // the request time is outside the window (past or future)
  | 'expired' // a presigned URL past its X-Amz-Expires
  | 'signature' // signature mismatch
  | 'content-sha256'; // a hex x-amz-content-sha256 that is not the hash of the body received

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
