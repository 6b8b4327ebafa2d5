/**
 * `ObjectReader` over `@aws-sdk/client-s3`: ListObjects v1 paged by Marker (as the official CLI
 * lists digests:
 * https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudtrail/validation.py) and GetObject. With an endpoint (startrail,
 * s3rver, MinIO) addressing is path-style; without one the SDK follows the bucket's region.
 */
import { GetBucketLocationCommand, GetObjectCommand, ListObjectsCommand, S3Client, type ListObjectsCommandOutput } from '@aws-sdk/client-s3';
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

/**
 * A reader whose requests are signed for each bucket's own region, as the official CLI's are: it asks
 * GetBucketLocation, signed for us-east-1, which S3 answers for a bucket of any region
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html), and reads with a
 * client of that region (`clientFor`). Validating another region's digests of a trail whose bucket is
 * in us-east-1 thus signs for us-east-1, which S3 requires.
 */
export function regionalObjectReader(o: S3ReaderOptions): { reader: ObjectReader; destroy(): void } {
  const clients = new Map<string, S3Client>();
  const clientFor = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = createS3Client({ ...o, region });
      clients.set(region, c);
    }
    return c;
  };
  const regions = new Map<string, Promise<string>>();
  const regionOf = (bucket: string) => {
    let r = regions.get(bucket);
    if (!r) {
      r = clientFor('us-east-1')
        .send(new GetBucketLocationCommand({ Bucket: bucket }))
        // an empty LocationConstraint is us-east-1, `EU` the old name of eu-west-1
        .then((l) => (!l.LocationConstraint ? 'us-east-1' : l.LocationConstraint === 'EU' ? 'eu-west-1' : l.LocationConstraint))
        // a service without GetBucketLocation: the region asked for
        .catch(() => o.region);
      regions.set(bucket, r);
    }
    return r;
  };
  const readers = new Map<string, ObjectReader>();
  const readerOf = async (bucket: string) => {
    const region = await regionOf(bucket);
    let r = readers.get(region);
    if (!r) {
      r = s3ObjectReader(clientFor(region));
      readers.set(region, r);
    }
    return r;
  };
  return {
    reader: {
      async *listObjects(bucket, prefix, marker) {
        yield* (await readerOf(bucket)).listObjects(bucket, prefix, marker);
      },
      async getObject(bucket, key) {
        return (await readerOf(bucket)).getObject(bucket, key);
      },
    },
    destroy: () => {
      for (const c of clients.values()) c.destroy();
    },
  };
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
