/**
 * Bodies on the S3 route are buffered up to this size (the HTTP edge's limit for requests signed
 * for s3; other services keep STARTRAIL_MAX_BODY_BYTES). AWS allows 5 GiB in one PUT or part;
 * larger objects here go up in parts (multipart upload), each part up to this size.
 */
export const S3_MAX_BODY_BYTES = 64 * 1024 * 1024;
