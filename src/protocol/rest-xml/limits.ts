/**
 * Bodies on the S3 route are buffered up to this size (the HTTP edge's limit for requests signed
 * for s3; other services keep STARTRAIL_MAX_BODY_BYTES). AWS allows 5 GiB in one PUT; uploads
 * larger than this need multipart upload, which is not served yet.
 */
export const S3_MAX_BODY_BYTES = 64 * 1024 * 1024;
