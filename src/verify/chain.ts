/**
 * Walks a digest chain newest → oldest (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html; CLI
 * `_traverse_digest_chain`, `_find_next_digest`, `_get_last_digest`): start at the newest listed key,
 * follow `previousDigestS3Bucket/Object`; a starting digest (no previous) jumps to the next older
 * listed key and reports a gap if there is one; a missing or invalid digest is reported and the walk
 * resumes from the listing at the first key dated before it. Stops once a digest starts before the
 * requested start. Yields events in the CLI's order; digests are fetched ahead (the chain almost
 * always follows the listing), which is the only liberty taken.
 */
import { parseDate } from './dates.ts';
import { checkDigest, type Digest, type DigestContext } from './digest.ts';
import { extractDigestKeyDate } from './digest-keys.ts';
import { DigestError, FatalError, isServiceError } from './errors.ts';
import { isNoSuchKey, type ObjectReader, type StoredObject } from './objects.ts';

export type ChainEvent =
  | { type: 'valid'; digest: Digest }
  | { type: 'invalid'; message: string }
  | { type: 'missing'; bucket: string; key: string }
  | { type: 'gap'; nextEnd: Date; lastStart: Date };

export interface ChainInput {
  objects: ObjectReader;
  bucket: string;
  /** this bucket's listed keys of one kind (standard or backfill), ascending; consumed */
  keys: string[];
  /** the listing for another bucket, when a digest links there (the CLI lists again) */
  relist: (bucket: string, end: Date) => Promise<string[]>;
  start: Date;
  backfill: boolean;
  ctx: DigestContext;
  /** digests fetched ahead of the walk */
  prefetch?: number;
}

const keyDate = (key: string): Date => {
  try {
    return parseDate(extractDigestKeyDate(key));
  } catch (e) {
    throw new FatalError((e as Error).message);
  }
};

/** Pops the newest key, or the newest one dated before `before` (dropping the keys passed over). */
function lastDigest(keys: string[], before?: string): [string, Date] | undefined {
  const limit = before === undefined ? undefined : keyDate(before).getTime();
  while (keys.length) {
    const key = keys.pop() as string;
    const date = keyDate(key);
    if (limit === undefined || date.getTime() < limit) return [key, date];
  }
  return undefined;
}

export async function* traverseChain(input: ChainInput): AsyncGenerator<ChainEvent> {
  const { objects, start, backfill, ctx } = input;
  let { bucket, keys } = input;
  const fetcher = new Prefetcher(objects, input.prefetch ?? 8);
  let next = lastDigest(keys);
  let lastStart = next?.[1];
  while (next && lastStart && start.getTime() <= lastStart.getTime()) {
    const key: string = next[0];
    try {
      const obj = await fetcher.get(bucket, key, keys);
      const digest = await checkDigest(obj, bucket, key, backfill, ctx);
      lastStart = digest.startTime;
      yield { type: 'valid', digest };
      const prevBucket = digest.data['previousDigestS3Bucket'];
      const prevKey = digest.data['previousDigestS3Object'];
      if (prevBucket === null || prevBucket === undefined || prevKey === null || prevKey === undefined) {
        next = lastDigest(keys, key);
        if (next) yield { type: 'gap', nextEnd: next[1], lastStart };
      } else {
        next = [String(prevKey), digest.endTime];
        if (prevBucket !== bucket) {
          bucket = String(prevBucket);
          keys = await input.relist(bucket, digest.endTime);
        }
      }
    } catch (e) {
      if (e instanceof FatalError || (isServiceError(e) && !isNoSuchKey(e))) throw e;
      const failed = key;
      next = lastDigest(keys, failed);
      if (isNoSuchKey(e)) yield { type: 'missing', bucket, key: failed };
      else if (e instanceof DigestError) yield { type: 'invalid', message: e.message };
      else yield { type: 'invalid', message: `Digest file\ts3://${bucket}/${failed}\tINVALID: ${(e as Error).message}` };
    }
  }
}

/** Fetches the digest asked for and the next few older listed keys at the same time. */
class Prefetcher {
  private readonly pending = new Map<string, Promise<StoredObject>>();
  constructor(
    private readonly objects: ObjectReader,
    private readonly ahead: number,
  ) {}

  get(bucket: string, key: string, listed: string[]): Promise<StoredObject> {
    // keys still listed are ascending; the chain's next links are the largest ones below `key`
    let i = firstNotBelow(listed, key);
    for (let n = 0; n < this.ahead && i > 0; n++) this.start(bucket, listed[--i] as string);
    const p = this.start(bucket, key);
    this.pending.delete(`${bucket}/${key}`);
    return p;
  }

  private start(bucket: string, key: string): Promise<StoredObject> {
    const id = `${bucket}/${key}`;
    let p = this.pending.get(id);
    if (!p) {
      p = this.objects.getObject(bucket, key);
      p.catch(() => undefined); // observed when consumed; a prefetch nobody asks for may fail quietly
      this.pending.set(id, p);
    }
    return p;
  }
}

/** Index of the first element >= key (so [i - 1] is the newest key older than it). */
function firstNotBelow(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
