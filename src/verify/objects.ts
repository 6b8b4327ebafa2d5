/**
 * Where the validator reads digests and log files from: an `ObjectReader` (S3 ListObjects v1 with
 * marker + GetObject with user metadata — the calls the official CLI makes,
 * https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudtrail/validation.py). One implementation over `@aws-sdk/client-s3`
 * (s3-reader.ts) and one in memory for tests and the benchmark's warm-up.
 */

export interface StoredObject {
  body: Buffer;
  /** S3 user metadata without the `x-amz-meta-` prefix, names lower-case */
  metadata: Record<string, string>;
}

export interface ObjectReader {
  /** keys under `prefix` strictly after `marker`, in S3 (byte) order, lazily paged */
  listObjects(bucket: string, prefix: string, marker: string): AsyncIterable<string>;
  /** the object; throws an error whose `name` is `NoSuchKey` when it does not exist */
  getObject(bucket: string, key: string): Promise<StoredObject>;
}

/** True for the "object does not exist" error of the S3 SDK (and of `MemoryObjects`). */
export function isNoSuchKey(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: string; Code?: string };
  return err.name === 'NoSuchKey' || err.Code === 'NoSuchKey';
}

function noSuchKey(bucket: string, key: string): Error {
  const e = new Error(`An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist. (${bucket}/${key})`);
  e.name = 'NoSuchKey';
  return e;
}

/** An in-memory bucket set; `put`/`delete` let tests tamper with a generated chain. */
export class MemoryObjects implements ObjectReader {
  readonly objects = new Map<string, StoredObject>();
  readonly gets: string[] = [];

  put(bucket: string, key: string, body: Buffer, metadata: Record<string, string> = {}): void {
    this.objects.set(`${bucket}/${key}`, { body, metadata });
  }

  delete(bucket: string, key: string): void {
    this.objects.delete(`${bucket}/${key}`);
  }

  async *listObjects(bucket: string, prefix: string, marker: string): AsyncIterable<string> {
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/`))
      .map((k) => k.slice(bucket.length + 1))
      .filter((k) => k.startsWith(prefix) && k > marker)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    yield* keys;
  }

  async getObject(bucket: string, key: string): Promise<StoredObject> {
    this.gets.push(`${bucket}/${key}`);
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw noSuchKey(bucket, key);
    return { body: o.body, metadata: { ...o.metadata } };
  }
}
