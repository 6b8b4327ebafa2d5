/**
 * S3 server access log records and log object keys, as pure functions of a CloudTrail record
 * (docs/s3.md#server-access-logging): the fields of
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html in their order, space
 * separated, `-` for a field that does not apply or is unknown, the time in brackets, the request
 * line, referrer and user agent in quotes; and the key forms of
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#server-log-keyname-format.
 */
import { createHash } from 'node:crypto';
import type { ServiceModel } from '../../protocol/model.ts';
import { hostId } from '../../protocol/rest-xml/errors.ts';
import type { StoredLogging } from './logging.ts';
import { owner } from './owner.ts';

/** The part of a CloudTrail record a log line is made of. */
export interface S3Record {
  eventTime: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  requestID?: string;
  userIdentity?: { type?: string; arn?: string; accountId?: string; invokedBy?: string };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: { bytesTransferredIn?: number; bytesTransferredOut?: number; SignatureVersion?: string; AuthenticationMethod?: string };
  recipientAccountId?: string;
}

/**
 * The OPERATION field, REST.<HTTP method>.<resource type>, for each S3 operation startrail serves
 * (resource types as S3 writes them in its logs: OBJECT, BUCKET, UPLOADS, TAGGING, ACL, …).
 */
const RESOURCE_TYPE: Record<string, string> = {
  CreateBucket: 'BUCKET',
  HeadBucket: 'BUCKET',
  DeleteBucket: 'BUCKET',
  ListObjects: 'BUCKET',
  ListObjectsV2: 'BUCKET',
  ListObjectVersions: 'BUCKETVERSIONS',
  GetBucketLocation: 'LOCATION',
  PutBucketPolicy: 'BUCKETPOLICY',
  GetBucketPolicy: 'BUCKETPOLICY',
  DeleteBucketPolicy: 'BUCKETPOLICY',
  GetBucketPolicyStatus: 'POLICY_STATUS',
  PutObject: 'OBJECT',
  GetObject: 'OBJECT',
  HeadObject: 'OBJECT',
  DeleteObject: 'OBJECT',
  CopyObject: 'OBJECT',
  DeleteObjects: 'MULTI_OBJECT_DELETE',
  GetObjectTagging: 'OBJECT_TAGGING',
  PutObjectTagging: 'OBJECT_TAGGING',
  DeleteObjectTagging: 'OBJECT_TAGGING',
  CreateMultipartUpload: 'UPLOADS',
  ListMultipartUploads: 'UPLOADS',
  UploadPart: 'PART',
  UploadPartCopy: 'PART',
  CompleteMultipartUpload: 'UPLOAD',
  AbortMultipartUpload: 'UPLOAD',
  ListParts: 'UPLOAD',
  PutBucketNotificationConfiguration: 'NOTIFICATION',
  GetBucketNotificationConfiguration: 'NOTIFICATION',
  PutBucketTagging: 'TAGGING',
  GetBucketTagging: 'TAGGING',
  DeleteBucketTagging: 'TAGGING',
  PutBucketEncryption: 'ENCRYPTION',
  GetBucketEncryption: 'ENCRYPTION',
  DeleteBucketEncryption: 'ENCRYPTION',
  PutPublicAccessBlock: 'PUBLIC_ACCESS_BLOCK',
  GetPublicAccessBlock: 'PUBLIC_ACCESS_BLOCK',
  DeletePublicAccessBlock: 'PUBLIC_ACCESS_BLOCK',
  PutBucketOwnershipControls: 'OWNERSHIP_CONTROLS',
  GetBucketOwnershipControls: 'OWNERSHIP_CONTROLS',
  DeleteBucketOwnershipControls: 'OWNERSHIP_CONTROLS',
  PutBucketVersioning: 'VERSIONING',
  GetBucketVersioning: 'VERSIONING',
  PutObjectLockConfiguration: 'OBJECT_LOCK_CONFIGURATION',
  GetObjectLockConfiguration: 'OBJECT_LOCK_CONFIGURATION',
  PutObjectRetention: 'RETENTION',
  GetObjectRetention: 'RETENTION',
  PutObjectLegalHold: 'LEGAL_HOLD',
  GetObjectLegalHold: 'LEGAL_HOLD',
  PutBucketLifecycleConfiguration: 'LIFECYCLE',
  GetBucketLifecycleConfiguration: 'LIFECYCLE',
  DeleteBucketLifecycle: 'LIFECYCLE',
  PutBucketAcl: 'ACL',
  GetBucketAcl: 'ACL',
  PutObjectAcl: 'ACL',
  GetObjectAcl: 'ACL',
  PutBucketCors: 'CORS',
  GetBucketCors: 'CORS',
  DeleteBucketCors: 'CORS',
  PutBucketLogging: 'LOGGING_STATUS',
  GetBucketLogging: 'LOGGING_STATUS',
};

/** CloudTrail names some operations otherwise than the API (record eventName → operation). */
const EVENT_OPERATION: Record<string, string> = {
  ListBucket: 'ListObjects',
  ListBucketVersions: 'ListObjectVersions',
  ListBucketMultipartUploads: 'ListMultipartUploads',
  GetBucketLifecycle: 'GetBucketLifecycleConfiguration',
  PutBucketLifecycle: 'PutBucketLifecycleConfiguration',
  GetBucketNotification: 'GetBucketNotificationConfiguration',
  PutBucketNotification: 'PutBucketNotificationConfiguration',
  PutBucketPublicAccessBlock: 'PutPublicAccessBlock',
  GetBucketPublicAccessBlock: 'GetPublicAccessBlock',
  DeleteBucketPublicAccessBlock: 'DeletePublicAccessBlock',
  GetBucketObjectLockConfiguration: 'GetObjectLockConfiguration',
  PutBucketObjectLockConfiguration: 'PutObjectLockConfiguration',
  DeleteBucketEncryption: 'DeleteBucketEncryption',
};

/**
 * HTTP statuses of the error codes S3 answers
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList); another code is 400.
 */
const ERROR_STATUS: Record<string, number> = {
  AccessDenied: 403,
  AccessControlListNotSupported: 400,
  AllAccessDisabled: 403,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  CrossLocationLoggingProhibited: 403,
  InternalError: 500,
  InternalFailure: 500,
  InvalidAccessKeyId: 403,
  InvalidBucketState: 409,
  InvalidObjectState: 403,
  InvalidRange: 416,
  InvalidToken: 400,
  MethodNotAllowed: 405,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchTagSet: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  NotImplemented: 501,
  NotModified: 304,
  ObjectLockConfigurationNotFoundError: 404,
  OwnershipControlsNotFoundError: 404,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  SignatureDoesNotMatch: 403,
  ExpiredToken: 400,
  ServiceUnavailable: 503,
  SlowDown: 503,
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `[06/Feb/2019:00:00:38 +0000]` (the Time field: UTC, strftime `%d/%b/%Y:%H:%M:%S %z`). */
export function logTime(d: Date): string {
  return `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;
}

/** The API operation of a record (its eventName, or the operation CloudTrail names otherwise). */
export const operationOf = (eventName: string): string => EVENT_OPERATION[eventName] ?? eventName;

/** A key as the Key field writes it: URL-encoded, the slashes kept. */
export const logKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/');

const quoted = (v: string | undefined) => (v === undefined || v === '' ? '-' : `"${v.replace(/"/g, '\\"')}"`);
const field = (v: string | number | undefined | null) => (v === undefined || v === null || v === '' ? '-' : String(v));
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The Request-URI field's request line, e.g. `"GET /bucket/photos/puppy.jpg?versionId=… HTTP/1.1"`. */
function requestLine(method: string, uri: string, bucket: string, key: string | undefined, params: Record<string, unknown>): string {
  const [path = '/', query] = uri.split('?');
  const filled = path.replace('{Bucket}', encodeURIComponent(bucket)).replace(/\{Key\+?\}/, key === undefined ? '' : logKey(key));
  const qs = [query, typeof params.versionId === 'string' ? `versionId=${encodeURIComponent(params.versionId)}` : undefined].filter(Boolean).join('&');
  return `${method} ${filled}${qs ? `?${qs}` : ''} HTTP/1.1`;
}

/** The log line of one S3 call on `bucket`, owned by account `bucketOwner` (no trailing newline). */
export function accessLogLine(model: ServiceModel, r: S3Record, bucket: string, bucketOwner: string): string {
  const op = operationOf(r.eventName);
  const http = model.operations[op]?.http ?? { method: 'GET', requestUri: '/{Bucket}' };
  const params = r.requestParameters ?? {};
  const key = str(params.key);
  const extra = r.additionalEventData ?? {};
  const status = r.errorCode ? (ERROR_STATUS[r.errorCode] ?? 400) : (http.responseCode ?? 200);
  const out = r.errorCode ? undefined : extra.bytesTransferredOut;
  // Object size: the object's whole size; what an unranged read sent or a write received
  const size = r.errorCode
    ? undefined
    : op === 'GetObject' && params.range === undefined && params.Range === undefined
      ? extra.bytesTransferredOut
      : op === 'PutObject' || op === 'UploadPart'
        ? extra.bytesTransferredIn
        : undefined;
  const anonymous = r.userIdentity?.accountId === 'anonymous';
  const requester = anonymous ? undefined : (r.userIdentity?.arn ?? r.userIdentity?.invokedBy);
  const versionId = str(params.versionId) ?? str(r.responseElements?.['x-amz-version-id']);
  return [
    owner(bucketOwner).ID,
    bucket,
    logTime(new Date(r.eventTime)),
    field(r.sourceIPAddress),
    field(requester),
    field(r.requestID),
    `REST.${http.method}.${RESOURCE_TYPE[op] ?? 'BUCKET'}`,
    key === undefined ? '-' : logKey(key),
    quoted(requestLine(http.method, http.requestUri, bucket, key, params)),
    String(status),
    field(r.errorCode),
    out ? String(out) : '-',
    field(size),
    // Total time and Turn-Around Time: the record keeps no timings
    '-',
    '-',
    // Referer: the record keeps none
    '-',
    quoted(r.userAgent),
    field(versionId),
    r.requestID ? hostId(r.requestID) : '-',
    field(extra.SignatureVersion),
    // Cipher suite and TLS version: startrail speaks plain HTTP
    '-',
    field(extra.AuthenticationMethod),
    field(str(params.Host)),
    '-',
    // Access point ARN: startrail has no access points; aclRequired: its ACL grants are not told apart
    '-',
    '-',
  ].join(' ');
}

/** The key's date parts, `YYYY-MM-DD-hh-mm-ss`, in UTC. */
const stamp = (d: Date) =>
  `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}`;

/** The UniqueString: 16 uppercase hex characters, a function of the source bucket and the batch's first record, so a replay names the same object. */
export const uniqueString = (sourceBucket: string, firstSeq: number): string =>
  createHash('sha256').update(`${sourceBucket}\n${firstSeq}`).digest('hex').slice(0, 16).toUpperCase();

/**
 * The log object's key: SimplePrefix `[TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString`, or PartitionedPrefix
 * `[TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/YYYY/mm/DD/YYYY-mm-DD-HH-MM-SS-UniqueString`.
 * `time` is the batch's first record's (docs/s3.md#server-access-logging: also for DeliveryTime).
 */
export function logObjectKey(
  config: Pick<StoredLogging, 'TargetPrefix' | 'TargetObjectKeyFormat'>,
  source: { bucket: string; accountId: string; region: string },
  time: Date,
  unique: string,
): string {
  const name = `${stamp(time)}-${unique}`;
  if (!config.TargetObjectKeyFormat?.PartitionedPrefix) return `${config.TargetPrefix}${name}`;
  const day = `${time.getUTCFullYear()}/${two(time.getUTCMonth() + 1)}/${two(time.getUTCDate())}`;
  return `${config.TargetPrefix}${source.accountId}/${source.region}/${source.bucket}/${day}/${name}`;
}

/** A log line's fields (brackets and quotes removed, `\"` unescaped): the reader's side of accessLogLine. */
export function parseLogLine(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/\[([^\]]*)\]|"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2]?.replace(/\\"/g, '"') ?? m[3] ?? '');
  return out;
}
