/**
 * Errors a service's model declares, made from the model: the wire code, HTTP status and fault come
 * from the generated table (`ERRORS` of src/services/<service>/model.generated.ts: the error's
 * `awsQueryError` / `httpStatusCode` trait, 400 and Sender where the model has none), never restated
 * by hand. The factory accepts only the service's modelled codes.
 */
import { AwsError } from './aws-error.ts';

export interface ModelErrorInfo {
  readonly code: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';
  /** the Query code of a JSON service compatible with Query (SQS) */
  readonly queryCode?: string;
}

export type ErrorTable = Readonly<Record<string, ModelErrorInfo>>;

/** `(code, message) => AwsError` for the errors of one service's model. */
export function modelErrors<T extends ErrorTable>(table: T): (code: keyof T & string, message: string) => AwsError {
  return (code, message) => {
    const info = table[code];
    if (!info) throw new Error(`not a modelled error: ${code}`);
    return new AwsError(info.code, message, info.status, info.fault, info.queryCode);
  };
}

/**
 * The errors any operation of a protocol may answer although no operation's model lists them: the
 * pipeline's own (validation, authentication, authorization, throttling, internal failure) and the ones
 * AWS documents as common to every action of the service family
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html,
 * https://docs.aws.amazon.com/codestar/latest/APIReference/CommonErrors.html). S3's models list few
 * errors per operation; S3 documents one list of error codes for its whole API
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList), and the ones
 * startrail answers with are common here, except the modelled ones (NoSuchKey, NoSuchUpload, …).
 */
export const COMMON_ERRORS: Record<'json' | 'query' | 'rest-xml', readonly string[]> = {
  json: [
    'ValidationException',
    'AccessDeniedException',
    'ThrottlingException',
    'InternalFailure',
    'SerializationException',
    'UnknownOperationException',
    'InvalidClientTokenId',
    'ExpiredTokenException',
    'IncompleteSignature',
    'MissingAuthenticationToken',
  ],
  query: [
    'ValidationError',
    'AccessDenied',
    'Throttling',
    'InternalFailure',
    'MalformedQueryString',
    'InvalidAction',
    'MissingParameter',
    'InvalidParameterValue',
    'InvalidClientTokenId',
    'ExpiredToken',
    'IncompleteSignature',
    'MissingAuthenticationToken',
    'SignatureDoesNotMatch',
  ],
  'rest-xml': [
    'AccessDenied',
    'InternalError',
    'InvalidArgument',
    'InvalidRequest',
    'NotImplemented',
    'MethodNotAllowed',
    'MalformedXML',
    'SignatureDoesNotMatch',
    'InvalidAccessKeyId',
    'NoSuchBucket',
    'InvalidBucketName',
    'BucketNotEmpty',
    'KeyTooLongError',
    'MetadataTooLarge',
    'EntityTooLarge',
    'EntityTooSmall',
    'InvalidRange',
    'PreconditionFailed',
    'NotModified',
    'MalformedPolicy',
    'NoSuchBucketPolicy',
    'InvalidLocationConstraint',
    'IllegalLocationConstraintException',
    'InvalidPart',
    'InvalidPartOrder',
    // versioning, Object Lock, tags, lifecycle (docs/s3.md)
    'NoSuchVersion',
    'InvalidTag',
    'InvalidBucketState',
    'ObjectLockConfigurationNotFoundError',
    'NoSuchObjectLockConfiguration',
    'NoSuchLifecycleConfiguration',
    // ACLs and CORS (docs/s3.md#acls)
    'AccessControlListNotSupported',
    'InvalidBucketAclWithBlockPublicAccessError',
    'InvalidBucketAclWithObjectOwnership',
    'MalformedACLError',
    'UnexpectedContent',
    'UnresolvableGrantByEmailAddress',
    'NoSuchCORSConfiguration',
    // server access logging (docs/s3.md, https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList)
    'InvalidTargetBucketForLogging',
    'CrossLocationLoggingProhibited',
  ],
};
