/**
 * The embedded object store: buckets and objects as files under `<data-dir>/objects` (layout in
 * files.ts). Every write is a temp file renamed into place, so a reader sees the old object or the
 * new one, never part of either, and a crash leaves at most a stale temp file (swept at open).
 * Sibling startrail nodes on the same data dir share it safely: nothing is cached in memory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  bucketDir,
  configPath,
  copyBody,
  hexToKey,
  keysDir,
  keyToHex,
  makeSegmentDirs,
  OBJECT_SUFFIX,
  objectFileParts,
  objectPath,
  openObjectFile,
  pruneSegmentDirs,
  readObjectHeader,
  tempName,
  tmpDir,
  writeAtomic,
  type ObjectFile,
} from './files.ts';
import { paginate } from './listing.ts';
import { isValidBucketName, resolveRange } from './names.ts';
import {
  ObjectStoreError,
  type BucketConfigName,
  type BucketInfo,
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
  type ObjectChecksum,
  type ObjectContent,
  type ObjectInfo,
  type ObjectStore,
  type PartInfo,
  type PutObjectInput,
  type RangeSpec,
} from './types.ts';
import { abortUpload, completeUpload, createUpload, listUploadParts, listUploads, writePart } from './uploads.ts';

type StoredHeader = Omit<ObjectInfo, 'lastModified' | 'expires'> & { lastModified: string; expires?: string };

const STALE_TEMP_MS = 3600_000;
const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export class EmbeddedObjectStore implements ObjectStore {
  private constructor(private readonly root: string) {}

  /** Opens (creating) the store at `root` and sweeps temp files left by a crash more than an hour ago. */
  static async open(root: string): Promise<EmbeddedObjectStore> {
    await mkdir(tmpDir(root), { recursive: true });
    const now = Date.now();
    for (const name of await readdir(tmpDir(root))) {
      const p = join(tmpDir(root), name);
      const s = await stat(p).catch(() => undefined);
      if (s && now - s.mtimeMs > STALE_TEMP_MS) await rm(p, { recursive: true, force: true });
    }
    return new EmbeddedObjectStore(root);
  }

  async createBucket(bucket: string, region: string, now: Date, owner?: string): Promise<BucketInfo> {
    if (!isValidBucketName(bucket)) throw new ObjectStoreError('InvalidBucketName', bucket);
    const info: BucketInfo = { name: bucket, creationDate: now, region, ...(owner !== undefined ? { owner } : {}) };
    const tmp = tempName(this.root, 'b');
    await mkdir(join(tmp, 'keys'), { recursive: true });
    await writeFile(join(tmp, 'bucket.json'), JSON.stringify({ ...info, creationDate: now.toISOString() }));
    try {
      await rename(tmp, bucketDir(this.root, bucket)); // atomic: the bucket appears complete or not at all
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new ObjectStoreError('BucketAlreadyOwnedByYou', bucket);
      throw e;
    }
    return info;
  }

  async getBucket(bucket: string): Promise<BucketInfo | undefined> {
    if (!isValidBucketName(bucket)) return undefined;
    try {
      const j = JSON.parse(await readFile(join(bucketDir(this.root, bucket), 'bucket.json'), 'utf8'));
      return { name: j.name, region: j.region, creationDate: new Date(j.creationDate), ...(typeof j.owner === 'string' ? { owner: j.owner } : {}) };
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.requireBucket(bucket);
    if (await this.hasObjects(keysDir(this.root, bucket))) throw new ObjectStoreError('BucketNotEmpty', bucket);
    const gone = tempName(this.root, 'd');
    await rename(bucketDir(this.root, bucket), gone);
    await rm(gone, { recursive: true, force: true });
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const names = (await readdir(this.root)).filter(isValidBucketName).sort();
    const infos = await Promise.all(names.map((n) => this.getBucket(n)));
    return infos.filter((b): b is BucketInfo => b !== undefined);
  }

  async getBucketPolicy(bucket: string): Promise<string | undefined> {
    await this.requireBucket(bucket);
    return readFile(join(bucketDir(this.root, bucket), 'policy.json'), 'utf8').catch((e) => {
      if (missing(e)) return undefined;
      throw e;
    });
  }

  async putBucketPolicy(bucket: string, policy: string): Promise<void> {
    await this.requireBucket(bucket);
    await this.guard(bucket, writeAtomic(this.root, join(bucketDir(this.root, bucket), 'policy.json'), [Buffer.from(policy, 'utf8')]));
  }

  async deleteBucketPolicy(bucket: string): Promise<void> {
    await this.requireBucket(bucket);
    await rm(join(bucketDir(this.root, bucket), 'policy.json'), { force: true });
  }

  async getBucketConfig(bucket: string, name: BucketConfigName): Promise<string | undefined> {
    await this.requireBucket(bucket);
    return readFile(configPath(this.root, bucket, name), 'utf8').catch((e) => {
      if (missing(e)) return undefined;
      throw e;
    });
  }

  async putBucketConfig(bucket: string, name: BucketConfigName, text: string | undefined): Promise<void> {
    await this.requireBucket(bucket);
    if (text === undefined) await rm(configPath(this.root, bucket, name), { force: true });
    else {
      const path = configPath(this.root, bucket, name);
      // not recursive: a bucket deleted meanwhile is never made again (guard: NoSuchBucket)
      const prepare = () =>
        mkdir(dirname(path)).then(
          () => undefined,
          (e: NodeJS.ErrnoException) => {
            if (e.code !== 'EEXIST') throw e;
          },
        );
      await this.guard(bucket, writeAtomic(this.root, path, [Buffer.from(text, 'utf8')], prepare));
    }
  }

  async putObject(bucket: string, key: string, input: PutObjectInput, now: Date): Promise<ObjectInfo> {
    await this.requireBucket(bucket);
    const { body, metadata, ...headers } = input;
    const info: ObjectInfo = {
      ...headers,
      key,
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: now,
      metadata: metadata ?? {},
    };
    const { expires, ...rest } = info;
    const stored: StoredHeader = { ...rest, lastModified: now.toISOString(), ...(expires ? { expires: expires.toISOString() } : {}) };
    const write = writeAtomic(this.root, objectPath(this.root, bucket, key), objectFileParts(stored, body), () => makeSegmentDirs(this.root, bucket, key));
    await this.guard(bucket, write);
    return info;
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    await this.requireBucket(bucket);
    const h = await readObjectHeader<StoredHeader>(objectPath(this.root, bucket, key));
    return h && toInfo(h);
  }

  async getObject(bucket: string, key: string, range?: RangeSpec): Promise<ObjectContent | undefined> {
    await this.requireBucket(bucket);
    const f = await openObjectFile<StoredHeader>(objectPath(this.root, bucket, key));
    if (!f) return undefined;
    try {
      const info = toInfo(f.header);
      if (!range) return { info, body: await f.read(0, f.bodySize) };
      const r = resolveRange(range, f.bodySize);
      if (!r) throw new ObjectStoreError('InvalidRange', bucket, f.bodySize);
      return { info, body: await f.read(r.start, r.end - r.start + 1), range: r };
    } finally {
      await f.close();
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.requireBucket(bucket);
    const file = objectPath(this.root, bucket, key);
    await rm(file, { force: true });
    await pruneSegmentDirs(this.root, bucket, file);
  }

  async listObjects(bucket: string, q: ListObjectsQuery): Promise<ListObjectsPage> {
    await this.requireBucket(bucket);
    const prefixHex = keyToHex(q.prefix ?? '');
    const afterHex = q.after === undefined ? undefined : keyToHex(q.after);
    const hexes: string[] = [];
    await this.collect(keysDir(this.root, bucket), '', prefixHex, hexes);
    // hex of UTF-8 bytes compares exactly as the bytes do: S3's order
    const keys = hexes
      .filter((h) => afterHex === undefined || h > afterHex)
      .sort()
      .map(hexToKey);
    const page = paginate(keys, q);
    const headers = await Promise.all(page.keys.map((k) => readObjectHeader<StoredHeader>(objectPath(this.root, bucket, k))));
    const objects = headers.filter((h): h is StoredHeader => h !== undefined).map(toInfo);
    return {
      objects,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      ...(page.nextMarker !== undefined ? { nextMarker: page.nextMarker } : {}),
    };
  }

  async copyObject(bucket: string, key: string, input: CopyObjectInput, now: Date): Promise<ObjectInfo | undefined> {
    const { source, replace } = input;
    await this.requireBucket(source.bucket);
    await this.requireBucket(bucket);
    // read from one descriptor: a concurrent replace of the source (or a copy onto itself) cannot mix versions
    const f = await openObjectFile<StoredHeader>(objectPath(this.root, source.bucket, source.key));
    if (!f) return undefined;
    try {
      const src = toInfo(f.header);
      const etag = src.etag.includes('-') ? await md5Of(f) : src.etag;
      const { checksum: _c, acl: _a, ...replaced } = replace ?? {};
      const headers = replace
        ? { ...replaced, contentType: replace.contentType ?? 'binary/octet-stream', metadata: replace.metadata ?? {} }
        : {
            contentType: src.contentType,
            contentEncoding: src.contentEncoding,
            contentDisposition: src.contentDisposition,
            contentLanguage: src.contentLanguage,
            cacheControl: src.cacheControl,
            expires: src.expires,
            metadata: src.metadata,
          };
      // the bytes are the same: a whole-object checksum still holds; a composite one (of parts) does not
      const checksum = src.checksum && !src.checksum.value.includes('-') ? src.checksum : undefined;
      const info: ObjectInfo = {
        ...definedOnly(headers),
        key,
        size: f.bodySize,
        etag,
        lastModified: now,
        metadata: headers.metadata,
        ...(checksum ? { checksum } : {}),
        ...(input.acl !== undefined ? { acl: input.acl } : {}),
      };
      const { expires, ...rest } = info;
      const stored: StoredHeader = { ...rest, lastModified: now.toISOString(), ...(expires ? { expires: expires.toISOString() } : {}) };
      const [magic, len, json] = objectFileParts(stored, Buffer.alloc(0));
      await this.guard(
        bucket,
        writeAtomic(
          this.root,
          objectPath(this.root, bucket, key),
          async (fh) => {
            await fh.writev([magic!, len!, json!]);
            await copyBody(f, fh);
          },
          () => makeSegmentDirs(this.root, bucket, key),
        ),
      );
      return info;
    } finally {
      await f.close();
    }
  }

  async putObjectAcl(bucket: string, key: string, acl: string | undefined): Promise<ObjectInfo | undefined> {
    await this.requireBucket(bucket);
    // read from one descriptor and rename over it: the bytes and header stay the object's own
    const f = await openObjectFile<StoredHeader>(objectPath(this.root, bucket, key));
    if (!f) return undefined;
    try {
      const { acl: _old, ...rest } = f.header;
      const stored: StoredHeader = { ...rest, ...(acl !== undefined ? { acl } : {}) };
      const [magic, len, json] = objectFileParts(stored, Buffer.alloc(0));
      await this.guard(
        bucket,
        writeAtomic(
          this.root,
          objectPath(this.root, bucket, key),
          async (fh) => {
            await fh.writev([magic!, len!, json!]);
            await copyBody(f, fh);
          },
          () => makeSegmentDirs(this.root, bucket, key),
        ),
      );
      return toInfo(stored);
    } finally {
      await f.close();
    }
  }

  async createMultipartUpload(bucket: string, key: string, input: MultipartUploadInput, now: Date): Promise<MultipartUpload> {
    await this.requireBucket(bucket);
    const created = createUpload(this.root, bucket, key, input, now);
    await this.guard(
      bucket,
      created.then(() => undefined),
    );
    return created;
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    checksum: ObjectChecksum | undefined,
    now: Date,
  ): Promise<PartInfo> {
    await this.requireBucket(bucket);
    return writePart(this.root, bucket, key, uploadId, partNumber, body, checksum, now);
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[], now: Date): Promise<ObjectInfo> {
    await this.requireBucket(bucket);
    const done = completeUpload(this.root, bucket, key, uploadId, parts, now);
    await this.guard(
      bucket,
      done.then(() => undefined),
    );
    return done;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.requireBucket(bucket);
    await abortUpload(this.root, bucket, key, uploadId);
  }

  async listParts(bucket: string, key: string, uploadId: string, query: ListPartsQuery): Promise<ListPartsPage> {
    await this.requireBucket(bucket);
    return listUploadParts(this.root, bucket, key, uploadId, query);
  }

  async listMultipartUploads(bucket: string, query: ListUploadsQuery): Promise<ListUploadsPage> {
    await this.requireBucket(bucket);
    return listUploads(this.root, bucket, query);
  }

  private async requireBucket(bucket: string): Promise<BucketInfo> {
    const b = await this.getBucket(bucket);
    if (!b) throw new ObjectStoreError('NoSuchBucket', bucket);
    return b;
  }

  /** A write whose directory vanished means the bucket was deleted meanwhile. */
  private async guard(bucket: string, write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (e) {
      if (missing(e) && !(await this.getBucket(bucket))) throw new ObjectStoreError('NoSuchBucket', bucket);
      throw e;
    }
  }

  /** Hex names of the objects under `dir` whose key could start with the prefix (subtrees that cannot are skipped). */
  private async collect(dir: string, pathHex: string, prefixHex: string, out: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
      if (missing(e)) return [];
      throw e;
    });
    for (const e of entries) {
      if (e.isDirectory()) {
        const full = pathHex + e.name;
        if (full.startsWith(prefixHex) || prefixHex.startsWith(full)) await this.collect(join(dir, e.name), full, prefixHex, out);
      } else if (e.name.endsWith(OBJECT_SUFFIX)) {
        const hex = pathHex + e.name.slice(0, -OBJECT_SUFFIX.length);
        if (hex.startsWith(prefixHex)) out.push(hex);
      }
    }
  }

  private async hasObjects(dir: string): Promise<boolean> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e) => {
      if (missing(e)) return [];
      throw e;
    });
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith(OBJECT_SUFFIX)) return true;
      if (e.isDirectory() && (await this.hasObjects(join(dir, e.name)))) return true;
    }
    return false;
  }
}

/** The quoted MD5 of an object file's bytes, read a few MiB at a time. */
async function md5Of<H>(f: ObjectFile<H>): Promise<string> {
  const md5 = createHash('md5');
  for (let pos = 0; pos < f.bodySize; pos += 4 * 1024 * 1024) md5.update(await f.read(pos, Math.min(4 * 1024 * 1024, f.bodySize - pos)));
  return `"${md5.digest('hex')}"`;
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function toInfo(h: StoredHeader): ObjectInfo {
  const { lastModified, expires, ...rest } = h;
  return { ...rest, lastModified: new Date(lastModified), ...(expires ? { expires: new Date(expires) } : {}) };
}
