/**
 * Object storage (docs/architecture.md#delivery): one interface, used by the S3 service, trail delivery
 * and verify alike. Implementations: the embedded store over the data dir (embedded.ts) and, with
 * trails, an external S3-compatible service through @aws-sdk/client-s3. The semantics are S3's, so
 * each method maps onto one S3 call: keys are any UTF-8 string of 1–1024 bytes, listed in UTF-8 byte
 * order; ETags are the quoted MD5 hex of the bytes (of a multipart upload: the MD5 of its parts' MD5s
 * and "-<parts>"); a missing bucket is an `ObjectStoreError` ('NoSuchBucket'), a missing key is
 * `undefined` (S3's NoSuchKey / 404), a missing or foreign multipart upload is 'NoSuchUpload'.
 */

export interface BucketInfo {
  name: string;
  creationDate: Date;
  /** Region the bucket lives in (GetBucketLocation: empty for us-east-1). */
  region: string;
  /** The owner's account id (docs/accounts.md#cross-account-access); absent for buckets made before accounts: the configured account's. */
  owner?: string;
  /** S3 Versioning (docs/s3.md#versioning): absent for a bucket never versioned. */
  versioning?: VersioningStatus;
  /** Made with Object Lock (docs/s3.md#object-lock): versioned for good. */
  objectLock?: boolean;
}

export type VersioningStatus = 'Enabled' | 'Suspended';

/** An object version's Object Lock state (docs/s3.md#object-lock). */
export interface ObjectLock {
  mode?: 'GOVERNANCE' | 'COMPLIANCE';
  retainUntil?: Date;
  legalHold?: boolean;
}

/** An object's tag set, in the order given. */
export type ObjectTags = { key: string; value: string }[];

/** The content headers S3 keeps with an object and returns on GET/HEAD. */
export interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: Date;
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';

/** A flexible checksum the uploader supplied (already verified where the algorithm is supported), returned on GET when asked. */
export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

export interface PutObjectInput extends ObjectHeaders {
  body: Buffer;
  /** user metadata, names lower-case, without the `x-amz-meta-` prefix */
  metadata?: Record<string, string>;
  checksum?: ObjectChecksum;
  tags?: ObjectTags;
  lock?: ObjectLock;
  /** the object's ACL as the S3 service's JSON (docs/s3.md#acls); none: the owner's FULL_CONTROL */
  acl?: string;
}

export interface ObjectInfo extends ObjectHeaders {
  key: string;
  size: number;
  /** quoted MD5 hex, e.g. `"9e107d9d372bb6826bd81d3542a419d6"` */
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
  checksum?: ObjectChecksum;
  /** the version's id in a versioned bucket ("null" for the null version); absent in a bucket never versioned */
  versionId?: string;
  /** a delete marker: no bytes, no headers */
  deleteMarker?: boolean;
  tags?: ObjectTags;
  lock?: ObjectLock;
  /** the object's ACL as the S3 service's JSON (docs/s3.md#acls) */
  acl?: string;
}

/** One entry of ListObjectVersions: a version or a delete marker. */
export interface ObjectVersion extends ObjectInfo {
  versionId: string;
  isLatest: boolean;
}

export interface ListVersionsQuery {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  /** 0–1000 entries (versions, delete markers and common prefixes) */
  maxKeys: number;
}

export interface ListVersionsPage {
  /** by key, each key's newest first */
  versions: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

/** Which version a read or delete means: the current one, or `versionId`. */
export interface VersionSelector {
  versionId?: string;
  /** reads: answer a delete marker (deleteMarker: true) instead of undefined */
  deleteMarkers?: boolean;
}

export interface DeleteObjectOptions {
  versionId?: string;
  now?: Date;
  /** x-amz-bypass-governance-retention, already authorized */
  bypassGovernance?: boolean;
}

export interface DeleteObjectResult {
  versionId?: string;
  deleteMarker?: boolean;
}

/** What updateObject changes in a version's header (tags: [] removes them). */
export interface ObjectPatch {
  tags?: ObjectTags;
  lock?: ObjectLock;
}

/** An HTTP byte-range-spec (RFC 9110 §14.1.1): `first-[last]` or `-suffix`. */
export type RangeSpec = { first: number; last?: number } | { suffix: number };

/** A resolved, satisfiable range: inclusive byte offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectContent {
  info: ObjectInfo;
  body: Buffer;
  /** set when a range was asked for: the bytes `body` holds */
  range?: ByteRange;
}

export interface ListObjectsQuery {
  prefix?: string;
  delimiter?: string;
  /** exclusive start: S3's marker / start-after */
  after?: string;
  /** 0–1000 entries (objects plus common prefixes) */
  maxKeys: number;
}

export interface ListObjectsPage {
  objects: ObjectInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** the last key or common prefix of this page, when truncated: the next page's `after` */
  nextMarker?: string;
}

/** Who started a multipart upload, as ListParts and ListMultipartUploads name them. */
export interface UploadInitiator {
  id: string;
  displayName: string;
}

/** A multipart upload as CreateMultipartUpload started it (S3 API Reference CreateMultipartUpload). */
export interface MultipartUploadInput extends ObjectHeaders {
  metadata?: Record<string, string>;
  tags?: ObjectTags;
  lock?: ObjectLock;
  /** the flexible checksum every part carries, when the upload names one */
  checksumAlgorithm?: ChecksumAlgorithm;
  initiator?: UploadInitiator;
  /** the completed object's ACL (docs/s3.md#acls) */
  acl?: string;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: Date;
  checksumAlgorithm?: ChecksumAlgorithm;
  initiator?: UploadInitiator;
}

export interface PartInfo {
  partNumber: number;
  /** quoted MD5 hex of the part's bytes */
  etag: string;
  size: number;
  lastModified: Date;
  checksum?: ObjectChecksum;
}

/** One `<Part>` of CompleteMultipartUpload: the part number and the ETag its upload returned (quoted or not). */
export interface CompletedPart {
  partNumber: number;
  etag: string;
  checksum?: ObjectChecksum;
}

export interface ListPartsQuery {
  /** exclusive start: parts numbered above it */
  partNumberMarker?: number;
  /** 0–1000 */
  maxParts: number;
}

export interface ListPartsPage {
  upload: MultipartUpload;
  parts: PartInfo[];
  isTruncated: boolean;
  /** the last part number of this page */
  nextPartNumberMarker?: number;
}

export interface ListUploadsQuery {
  prefix?: string;
  delimiter?: string;
  /** exclusive start: uploads of later keys, or with `uploadIdMarker` also this key's later uploads */
  keyMarker?: string;
  uploadIdMarker?: string;
  /** 0–1000 entries (uploads plus common prefixes) */
  maxUploads: number;
}

export interface ListUploadsPage {
  /** by key (UTF-8 byte order), then by initiation */
  uploads: MultipartUpload[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/** CopyObject: the source and target, and (MetadataDirective REPLACE) the headers and metadata that replace the source's. */
export interface CopyObjectInput {
  source: { bucket: string; key: string; versionId?: string };
  replace?: Omit<PutObjectInput, 'body'>;
  /** the copy's tags (x-amz-tagging-directive REPLACE); else the source's */
  tags?: ObjectTags;
  lock?: ObjectLock;
  /** the copy's ACL (a copy never keeps the source's, docs/s3.md#acls) */
  acl?: string;
}

export type ObjectStoreErrorCode =
  | 'NoSuchBucket'
  | 'BucketNotEmpty'
  | 'BucketAlreadyOwnedByYou'
  | 'InvalidBucketName'
  | 'InvalidRange'
  | 'NoSuchUpload'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'EntityTooSmall'
  | 'NoSuchVersion'
  | 'ObjectLocked'
  | 'DeleteMarker';

/** What an InvalidPart / EntityTooSmall failure is about (S3 names the part in its error). */
export interface PartProblem {
  partNumber: number;
  etag: string;
  size?: number;
}

/** A failure with S3's meaning; the S3 service turns it into S3's wire error. */
export class ObjectStoreError extends Error {
  constructor(
    readonly code: ObjectStoreErrorCode,
    readonly bucket: string,
    /** InvalidRange: the object's size */
    readonly objectSize?: number,
    /** InvalidPart, EntityTooSmall: the part */
    readonly part?: PartProblem,
  ) {
    super(`${code}: ${bucket}`);
    this.name = code;
  }
}

/** The bucket configurations kept beside bucket.json (files.ts: `<name>.json`). */
export const BUCKET_CONFIGS = [
  'tagging',
  'encryption',
  'public-access-block',
  'ownership-controls',
  'object-lock',
  'lifecycle',
  'acl',
  'cors',
  'logging',
] as const;
export type BucketConfigName = (typeof BUCKET_CONFIGS)[number];

export interface CreateBucketOptions {
  /** made with Object Lock: versioned for good */
  objectLock?: boolean;
  /** initial bucket configurations, name → text */
  configs?: Partial<Record<BucketConfigName, string>>;
}

export interface ObjectStore {
  /**
   * Throws BucketAlreadyOwnedByYou if it exists (whoever owns it), InvalidBucketName for a name S3 refuses. `owner`: the creator's account.
   * `options.configs`: the bucket's initial configurations (name → text, as putBucketConfig stores them), there from the
   * moment the bucket is: it appears with them or not at all (docs/s3.md#storage).
   */
  createBucket(bucket: string, region: string, now: Date, owner?: string, options?: CreateBucketOptions): Promise<BucketInfo>;
  /** Turns versioning on or suspends it (never off again). Throws NoSuchBucket. */
  putBucketVersioning(bucket: string, status: VersioningStatus): Promise<void>;
  /** undefined when there is no such bucket */
  getBucket(bucket: string): Promise<BucketInfo | undefined>;
  /** Throws NoSuchBucket, or BucketNotEmpty while any object remains. Removes its policy too. */
  deleteBucket(bucket: string): Promise<void>;
  /** every bucket, by name */
  listBuckets(): Promise<BucketInfo[]>;

  /** The policy text as stored; undefined when the bucket has none. Throws NoSuchBucket. */
  getBucketPolicy(bucket: string): Promise<string | undefined>;
  /** Stores the text as given (validation is the S3 service's). Throws NoSuchBucket. */
  putBucketPolicy(bucket: string, policy: string): Promise<void>;
  /** Idempotent. Throws NoSuchBucket. */
  deleteBucketPolicy(bucket: string): Promise<void>;

  /**
   * A bucket configuration subresource (tagging, encryption, …) as the JSON text the S3 service
   * stored; undefined when the bucket has none. Throws NoSuchBucket.
   */
  getBucketConfig(bucket: string, name: BucketConfigName): Promise<string | undefined>;
  /** Atomically replaces the configuration; undefined removes it (idempotent). Throws NoSuchBucket. */
  putBucketConfig(bucket: string, name: BucketConfigName, text: string | undefined): Promise<void>;

  /**
   * Atomically replaces the object; in a versioned bucket adds a version (Suspended: replaces the
   * null version), with the bucket's default retention when it has Object Lock. Throws NoSuchBucket.
   */
  putObject(bucket: string, key: string, input: PutObjectInput, now: Date): Promise<ObjectInfo>;
  /** undefined when there is no such key (or version). Throws NoSuchBucket. */
  headObject(bucket: string, key: string, version?: VersionSelector): Promise<ObjectInfo | undefined>;
  /** The object, or only `range` of it (InvalidRange when unsatisfiable); undefined when there is no such key. Throws NoSuchBucket. */
  getObject(bucket: string, key: string, range?: RangeSpec, version?: VersionSelector): Promise<ObjectContent | undefined>;
  /**
   * Idempotent. In a versioned bucket without versionId: adds a delete marker; with it: removes that
   * version, unless Object Lock keeps it (ObjectLocked). Throws NoSuchBucket.
   */
  deleteObject(bucket: string, key: string, options?: DeleteObjectOptions): Promise<DeleteObjectResult>;
  /** One page of versions and delete markers (S3 ListObjectVersions). Throws NoSuchBucket. */
  listObjectVersions(bucket: string, query: ListVersionsQuery): Promise<ListVersionsPage>;
  /** Rewrites a version's tags or lock; undefined when there is no such key (or version); DeleteMarker for a marker. Throws NoSuchBucket. */
  updateObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectInfo | undefined>;
  /** One page in UTF-8 byte order, S3 ListObjects semantics (prefix, delimiter → common prefixes, marker). Throws NoSuchBucket. */
  listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage>;
  /**
   * Copies the source's bytes to `key` atomically (the source may be the target). undefined when the
   * source key does not exist. The copy keeps the source's headers and metadata unless `replace` is
   * given; its ETag is the MD5 of the bytes. Throws NoSuchBucket (either bucket).
   */
  copyObject(bucket: string, key: string, input: CopyObjectInput, now: Date): Promise<ObjectInfo | undefined>;
  /** Replaces the object's ACL (undefined: none), keeping its bytes, headers and Last-Modified; undefined when there is no such key. Throws NoSuchBucket. */
  putObjectAcl(bucket: string, key: string, acl: string | undefined): Promise<ObjectInfo | undefined>;

  /** Starts a multipart upload of `key`. Throws NoSuchBucket. */
  createMultipartUpload(bucket: string, key: string, input: MultipartUploadInput, now: Date): Promise<MultipartUpload>;
  /** Stores (or replaces) one part, 1–10000. Throws NoSuchBucket, NoSuchUpload (unknown id, or an upload of another key). */
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    checksum: ObjectChecksum | undefined,
    now: Date,
  ): Promise<PartInfo>;
  /**
   * Joins the listed parts (ascending part numbers, ETags as uploaded, every part but the last at
   * least MIN_PART_SIZE) into the object, atomically, and removes the upload. Throws NoSuchBucket,
   * NoSuchUpload, InvalidPartOrder, InvalidPart, EntityTooSmall.
   */
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[], now: Date): Promise<ObjectInfo>;
  /** Removes the upload and its parts. Throws NoSuchBucket, NoSuchUpload. */
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  /** One page of the upload's parts, by part number. Throws NoSuchBucket, NoSuchUpload. */
  listParts(bucket: string, key: string, uploadId: string, query: ListPartsQuery): Promise<ListPartsPage>;
  /** One page of the bucket's uploads in progress. Throws NoSuchBucket. */
  listMultipartUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage>;
}
