/**
 * `ObjectReader` over `@aws-sdk/client-s3`: ListObjects v1 paged by Marker (as the official CLI
 * lists digests:
 * https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudtrail/validation.py) and GetObject. With an endpoint (startrail,
 * s3rver, MinIO) addressing is path-style; without one the SDK follows the bucket's region.
 */
import { GetObjectCommand, ListObjectsCommand, S3Client, type ListObjectsCommandOutput } from '@aws-sdk/client-s3';
import type { ObjectReader, StoredObject } from './objects.ts';

export interface S3ReaderOptions {
  region: string;
  endpoint?: string;
  profile?: string;
  /** sockets kept open per host; defaults above the validator's concurrency */
  maxSockets?: number;
}

export function createS3Client(o: S3ReaderOptions): S3Client {
  return new S3Client({
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : { followRegionRedirects: true }),
    ...(o.profile ? { profile: o.profile } : {}),
    // digests and logs are hashed by us; S3's own checksums add a round of CRC work per object
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function s3ObjectReader(client: S3Client): ObjectReader {
  return {
    async *listObjects(bucket: string, prefix: string, marker: string): AsyncIterable<string> {
      let next: string | undefined = marker;
      for (;;) {
        const page: ListObjectsCommandOutput = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, ...(next ? { Marker: next } : {}) }));
        const keys = (page.Contents ?? []).map((c) => c.Key ?? '');
        yield* keys;
        if (!page.IsTruncated || keys.length === 0) return;
        next = page.NextMarker ?? keys[keys.length - 1];
      }
    },
    async getObject(bucket: string, key: string): Promise<StoredObject> {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = r.Body ? Buffer.from(await r.Body.transformToByteArray()) : Buffer.alloc(0);
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.Metadata ?? {})) metadata[k.toLowerCase()] = v;
      return { body, metadata };
    },
  };
}
