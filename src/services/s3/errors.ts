/**
 * S3's errors with AWS's codes, statuses, messages and extra elements (S3 API Reference "List of
 * error codes"): the protocol writes `details` as elements after <Message> (<BucketName>, <Key>, …).
 */
import { AwsError } from '../../errors/aws-error.ts';
import { ObjectStoreError } from '../../objects/index.ts';
import { ERRORS, type ErrorCode } from './model.generated.ts';

export class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly details: Record<string, string> = {},
    /** response headers the error answers with (a delete marker's x-amz-delete-marker, x-amz-version-id) */
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

/** An error of the S3 model, with its status (scripts/model-patches.ts: this model copy carries none). */
const modelled = (code: ErrorCode, message: string, details: Record<string, string>) => new S3Error(ERRORS[code].code, message, ERRORS[code].status, details);

export const noSuchBucket = (bucket: string) => modelled('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string) => modelled('NoSuchKey', 'The specified key does not exist.', { Key: key });
export const bucketNotEmpty = (bucket: string) => new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  modelled('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
export const bucketAlreadyExists = (bucket: string) =>
  modelled(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    { BucketName: bucket },
  );
export const invalidBucketName = (bucket: string) => new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
export const noSuchBucketPolicy = (bucket: string) => new S3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket });
export const malformedPolicy = (message: string) => new S3Error('MalformedPolicy', message, 400);
export const invalidRange = (range: string, size: number) =>
  new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: String(size) });
/** S3's plain denial (a missing key without s3:ListBucket, https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html). */
export const accessDenied = () => new S3Error('AccessDenied', 'Access Denied', 403);
export const keyTooLong = (size: number) => new S3Error('KeyTooLongError', 'Your key is too long', 400, { Size: String(size), MaxSizeAllowed: '1024' });
export const metadataTooLarge = (size: number) =>
  new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, { Size: String(size), MaxSizeAllowed: '2048' });
export const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
export const invalidLocationConstraint = (lc: string) =>
  new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: lc });
export const illegalLocationConstraint = (lc: string | undefined) =>
  new S3Error(
    'IllegalLocationConstraintException',
    `The ${lc ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
export const preconditionFailed = (condition: string) =>
  new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
export const notModified = () => new S3Error('NotModified', 'Not Modified', 304);
export const noSuchUpload = (uploadId: string) =>
  modelled('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });
export const invalidPart = (uploadId: string, partNumber: number, etag: string) =>
  new S3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
  );
export const invalidPartOrder = (uploadId: string) =>
  new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: uploadId });
export const entityTooSmall = (partNumber: number, etag: string, size: number) =>
  new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
    ProposedSize: String(size),
    MinSizeAllowed: String(5 * 1024 * 1024),
    PartNumber: String(partNumber),
    ETag: etag,
  });
export const malformedXml = () => new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
export const invalidRequest = (message: string) => new S3Error('InvalidRequest', message, 400);

/** A versionId S3 cannot have made (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
export const invalidVersionId = (versionId: string) => invalidArgument('Invalid version id specified', 'versionId', versionId);
export const noSuchVersion = (key: string, versionId: string) =>
  new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
/** GET/HEAD of a delete marker by version id (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html). */
export const deleteMarkerNotAllowed = (method: string, versionId: string) =>
  new S3Error(
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    405,
    { Method: method, ResourceType: 'DeleteMarker' },
    { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId },
  );
/** Object Lock keeps the version (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html): S3 answers 403 AccessDenied. */
export const lockedVersion = () => new S3Error('AccessDenied', 'Access Denied because object protected by object lock.', 403);
export const invalidBucketState = (message: string) => new S3Error('InvalidBucketState', message, 409);

/** An object store failure as S3's error; anything else is rethrown. */
type StoreContext = { bucket: string; key?: string; range?: string; uploadId?: string; versionId?: string };

export function fromStore(e: unknown, ctx: StoreContext): never {
  if (!(e instanceof ObjectStoreError)) throw e;
  switch (e.code) {
    case 'NoSuchBucket':
      throw noSuchBucket(e.bucket);
    case 'BucketNotEmpty':
      throw bucketNotEmpty(ctx.bucket);
    case 'BucketAlreadyOwnedByYou':
      throw bucketAlreadyOwnedByYou(ctx.bucket);
    case 'InvalidBucketName':
      throw invalidBucketName(ctx.bucket);
    case 'InvalidRange':
      throw invalidRange(ctx.range ?? '', e.objectSize ?? 0);
    case 'NoSuchUpload':
      throw noSuchUpload(ctx.uploadId ?? '');
    case 'InvalidPartOrder':
      throw invalidPartOrder(ctx.uploadId ?? '');
    case 'InvalidPart':
      throw invalidPart(ctx.uploadId ?? '', e.part?.partNumber ?? 0, e.part?.etag ?? '');
    case 'EntityTooSmall':
      throw entityTooSmall(e.part?.partNumber ?? 0, e.part?.etag ?? '', e.part?.size ?? 0);
    case 'NoSuchVersion':
      throw noSuchVersion(ctx.key ?? '', ctx.versionId ?? '');
    case 'ObjectLocked':
      throw lockedVersion();
    case 'DeleteMarker':
      throw deleteMarkerNotAllowed('PUT', ctx.versionId ?? '');
  }
  throw e;
}

/** Runs a store call, turning its failures into S3 errors. */
export async function store<T>(p: Promise<T>, ctx: StoreContext): Promise<T> {
  try {
    return await p;
  } catch (e) {
    return fromStore(e, ctx);
  }
}
