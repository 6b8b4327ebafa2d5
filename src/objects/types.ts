/**
 * Object storage (DESIGN §3 "Object storage"): one interface, used by the S3 service, trail delivery
 * and verify alike. Implementations: the embedded store over the data dir (embedded.ts) and, with
 * trails, an external S3-compatible service through @aws-sdk/client-s3. The semantics are S3's, so
 * each method maps onto one S3 call: keys are any UTF-8 string of 1–1024 bytes, listed in UTF-8 byte
 * order; ETags are the quoted MD5 hex of the bytes; a missing bucket is an `ObjectStoreError`
 * ('NoSuchBucket'), a missing key is `undefined` (S3's NoSuchKey / 404).
 */

export interface BucketInfo {
  name: string;
  creationDate: Date;
  /** Region the bucket lives in (GetBucketLocation: empty for us-east-1). */
  region: string;
}

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
export interface ObjectChecksum { algorithm: ChecksumAlgorithm; value: string }

export interface PutObjectInput extends ObjectHeaders {
  body: Buffer;
  /** user metadata, names lower-case, without the `x-amz-meta-` prefix */
  metadata?: Record<string, string>;
  checksum?: ObjectChecksum;
}

export interface ObjectInfo extends ObjectHeaders {
  key: string;
  size: number;
  /** quoted MD5 hex, e.g. `"9e107d9d372bb6826bd81d3542a419d6"` */
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
  checksum?: ObjectChecksum;
}

/** An HTTP byte-range-spec (RFC 9110 §14.1.1): `first-[last]` or `-suffix`. */
export type RangeSpec = { first: number; last?: number } | { suffix: number };

/** A resolved, satisfiable range: inclusive byte offsets. */
export interface ByteRange { start: number; end: number }

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

export type ObjectStoreErrorCode = 'NoSuchBucket' | 'BucketNotEmpty' | 'BucketAlreadyOwnedByYou' | 'InvalidBucketName' | 'InvalidRange';

/** A failure with S3's meaning; the S3 service turns it into S3's wire error. */
export class ObjectStoreError extends Error {
  constructor(
    readonly code: ObjectStoreErrorCode,
    readonly bucket: string,
    /** InvalidRange: the object's size */
    readonly objectSize?: number,
  ) {
    super(`${code}: ${bucket}`);
    this.name = code;
  }
}

export interface ObjectStore {
  /** Throws BucketAlreadyOwnedByYou if it exists, InvalidBucketName for a name S3 refuses. */
  createBucket(bucket: string, region: string, now: Date): Promise<BucketInfo>;
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

  /** Atomically replaces the object. Throws NoSuchBucket. */
  putObject(bucket: string, key: string, input: PutObjectInput, now: Date): Promise<ObjectInfo>;
  /** undefined when there is no such key. Throws NoSuchBucket. */
  headObject(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** The object, or only `range` of it (InvalidRange when unsatisfiable); undefined when there is no such key. Throws NoSuchBucket. */
  getObject(bucket: string, key: string, range?: RangeSpec): Promise<ObjectContent | undefined>;
  /** Idempotent. Throws NoSuchBucket. */
  deleteObject(bucket: string, key: string): Promise<void>;
  /** One page in UTF-8 byte order, S3 ListObjects semantics (prefix, delimiter → common prefixes, marker). Throws NoSuchBucket. */
  listObjects(bucket: string, query: ListObjectsQuery): Promise<ListObjectsPage>;
}
