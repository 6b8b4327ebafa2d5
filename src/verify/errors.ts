/**
 * The validator's two kinds of failure (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html; CLI `DigestError`):
 * a `DigestError` marks one digest INVALID and the walk goes on; a `FatalError` stops the run the
 * way the official CLI stops on an uncaught exception (its message on stderr, exit status 255).
 */

export class DigestError extends Error {
  override name = 'DigestError';
}

export const invalidFormat = (bucket: string, key: string) => new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);

export const signatureFailed = (bucket: string, key: string) => new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: signature verification failed`);

export class FatalError extends Error {
  override name = 'FatalError';
  constructor(
    message: string,
    readonly exitCode = 255,
  ) {
    super(message);
  }
}

/** An error answered by the S3 or CloudTrail service (the SDK's ServiceException, botocore's ClientError). */
export function isServiceError(e: unknown): boolean {
  return !!e && typeof e === 'object' && '$fault' in e && !(e instanceof FatalError);
}
