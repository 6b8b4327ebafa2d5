/**
 * Region hints, as S3 gives them (docs/s3.md#region-hints): a request must be signed for the region
 * of the bucket it names, else 400 AuthorizationHeaderMalformed "the region 'US' is wrong; expecting
 * 'us-east-1'" with a <Region> element, which clients (s3cmd, the SDKs' region redirect) retry in;
 * a request naming no existing bucket must be signed for a valid region (us-east-1 expected). HeadBucket
 * and S3's errors for a bucket carry x-amz-bucket-region
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html).
 */
import type { AwsError } from '../../errors/aws-error.ts';
import { isValidBucketName, type ObjectStore } from '../../objects/index.ts';
import { S3Error } from './errors.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The bucket a path-style request names, if any. */
export function bucketOfPath(rawPath: string): string | undefined {
  let first = rawPath.replace(/^\//, '').split('/')[0] ?? '';
  try {
    first = decodeURIComponent(first);
  } catch {
    return undefined;
  }
  return first && isValidBucketName(first) ? first : undefined;
}

export async function regionOf(objects: ObjectStore, rawPath: string): Promise<string | undefined> {
  const bucket = bucketOfPath(rawPath);
  if (!bucket) return undefined;
  return (await objects.getBucket(bucket).catch(() => undefined))?.region;
}

export const wrongRegion = (region: string, expected: string) =>
  new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${region}' is wrong; expecting '${expected}'`, 400, {
    Region: expected,
  });

/** GetBucketLocation (GET /<bucket>?location) signed for us-east-1 answers for a bucket of any region (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html). */
const isLocationQuery = (method: string, rawPath: string, rawQuery: string) =>
  method === 'GET' && /^\/[^/]+\/?$/.test(rawPath) && rawQuery.split('&').some((p) => p === 'location' || p.startsWith('location='));

export async function scopeRegionError(
  objects: ObjectStore,
  req: { method: string; rawPath: string; rawQuery: string },
  region: string,
): Promise<AwsError | undefined> {
  const rawPath = req.rawPath;
  if (region === 'us-east-1' && isLocationQuery(req.method, rawPath, req.rawQuery)) return undefined;
  const expected = (await regionOf(objects, rawPath)) ?? (REGION.test(region) ? region : 'us-east-1');
  return region === expected ? undefined : wrongRegion(region, expected);
}

export async function bucketRegionHeader(
  objects: ObjectStore,
  rawPath: string,
  operation: string | undefined,
  failed: boolean,
): Promise<Record<string, string>> {
  if (!failed && operation !== 'HeadBucket') return {};
  const region = await regionOf(objects, rawPath);
  return region ? { 'x-amz-bucket-region': region } : {};
}
