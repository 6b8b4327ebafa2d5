/** Object storage: the interface, S3's naming rules, and the embedded implementation over the data dir (docs/architecture.md#delivery). */
export {
  BUCKET_CONFIGS,
  ObjectStoreError,
  type BucketConfigName,
  type BucketInfo,
  type ByteRange,
  type ChecksumAlgorithm,
  type CompletedPart,
  type CopyObjectInput,
  type ListObjectsPage,
  type ListObjectsQuery,
  type ListPartsPage,
  type ListPartsQuery,
  type ListUploadsPage,
  type ListUploadsQuery,
  type MultipartUpload,
  type MultipartUploadInput,
  type PartInfo,
  type PartProblem,
  type UploadInitiator,
  type ObjectChecksum,
  type ObjectContent,
  type ObjectHeaders,
  type ObjectInfo,
  type ObjectStore,
  type ObjectStoreErrorCode,
  type PutObjectInput,
  type RangeSpec,
} from './types.ts';
export { compareKeys, isValidBucketName, keyBytes, MAX_KEY_BYTES, resolveRange } from './names.ts';
export { paginate, type PageEntries } from './listing.ts';
export { MAX_PART_NUMBER, MIN_PART_SIZE } from './multipart.ts';
export { EmbeddedObjectStore } from './embedded.ts';
