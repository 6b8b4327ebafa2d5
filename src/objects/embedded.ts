/**
 * The embedded object store: buckets and objects as files under `<data-dir>/objects` (layout in
 * files.ts). Every write is a temp file renamed into place, so a reader sees the old object or the
 * new one, never part of either, and a crash leaves at most a stale temp file (swept at open).
 * Sibling startrail nodes on the same data dir share it safely: nothing is cached in memory.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  bucketDir,
  configIn,
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
  type CreateBucketOptions,
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
  type DeleteObjectOptions,
  type DeleteObjectResult,
  type ListVersionsPage,
  type ListVersionsQuery,
  type ObjectLock,
  type ObjectPatch,
  type ObjectVersion,
  type VersionSelector,
  type VersioningStatus,
} from './types.ts';
import {
  ADOPTED_SEQ,
  collectVersionKeys,
  hasVersions,
  linkOver,
  makeVersionDirs,
  newVersionId,
  nextSeq,
  pruneVersionDirs,
  repairLinks,
  publish,
  versionDir,
  versionFileName,
  versionIdOfFile,
  versionNames,
  versionsDir,
} from './versions.ts';
import { defaultRetention, isLocked } from './locks.ts';
import { abortUpload, completeUpload, createUpload, listUploadParts, listUploads, writePart } from './uploads.ts';

type StoredLock = { mode?: ObjectLock['mode']; retainUntil?: string; legalHold?: boolean };
/** An object file's header: the ObjectInfo with dates as text, and `seq` for a version of a versioned bucket (versions.ts). */
type StoredHeader = Omit<ObjectInfo, 'lastModified' | 'expires' | 'lock'> & { lastModified: string; expires?: string; lock?: StoredLock; seq?: string };

const STALE_TEMP_MS = 3600_000;
const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export class EmbeddedObjectStore implements ObjectStore {
  /**
   * The repair of versioned keys a crash left linked to an older version (versions.ts repairLinks),
   * started by open in the background: resolves to how many keys it relinked (0 when it failed).
   */
  recovered: Promise<number> = Promise.resolve(0);

  private constructor(private readonly root: string) {}

  /**
   * Opens (creating) the store at `root`, sweeps temp files left by a crash more than an hour ago, and
   * starts the repair of versioned keys (`recovered`).
   */
  static async open(root: string): Promise<EmbeddedObjectStore> {
    await mkdir(tmpDir(root), { recursive: true });
    const now = Date.now();
    for (const name of await readdir(tmpDir(root))) {
      const p = join(tmpDir(root), name);
      const s = await stat(p).catch(() => undefined);
      if (s && now - s.mtimeMs > STALE_TEMP_MS) await rm(p, { recursive: true, force: true });
    }
    const store = new EmbeddedObjectStore(root);
    store.recovered = store.repairVersionLinks().catch(() => 0);
    return store;
  }

  /** Relinks every key of a versioned bucket whose `keys/` entry is not its newest version (versions.ts repairLinks). */
  async repairVersionLinks(): Promise<number> {
    let repaired = 0;
    for (const b of await this.listBuckets()) {
      if (!b.versioning) continue; // a bucket never versioned has no versions to link
      repaired += await repairLinks(this.root, b.name, isMarkerFile).catch((e) => {
        if (missing(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return 0; // deleted meanwhile
        throw e;
      });
    }
    return repaired;
  }

  async createBucket(bucket: string, region: string, now: Date, owner?: string, options: CreateBucketOptions = {}): Promise<BucketInfo> {
    if (!isValidBucketName(bucket)) throw new ObjectStoreError('InvalidBucketName', bucket);
    const info: BucketInfo = {
      name: bucket,
      creationDate: now,
      region,
      ...(owner !== undefined ? { owner } : {}),
      ...(options.objectLock ? { versioning: 'Enabled' as const, objectLock: true } : {}),
    };
    const tmp = tempName(this.root, 'b');
    await mkdir(join(tmp, 'keys'), { recursive: true });
    await writeFile(join(tmp, 'bucket.json'), JSON.stringify({ ...info, creationDate: now.toISOString() }));
    // the initial configurations go in before the rename, so a crash never leaves a bucket without them
    const configs = Object.entries(options.configs ?? {}).filter(([, text]) => text !== undefined);
    try {
      if (configs.length > 0) {
        await mkdir(join(tmp, 'config'));
        for (const [name, text] of configs) await writeFile(configIn(tmp, name), text!);
      }
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
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
      return {
        name: j.name,
        region: j.region,
        creationDate: new Date(j.creationDate),
        ...(typeof j.owner === 'string' ? { owner: j.owner } : {}),
        ...(j.versioning === 'Enabled' || j.versioning === 'Suspended' ? { versioning: j.versioning as VersioningStatus } : {}),
        ...(j.objectLock === true ? { objectLock: true } : {}),
      };
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  async putBucketVersioning(bucket: string, status: VersioningStatus): Promise<void> {
    const b = await this.requireBucket(bucket);
    const json = JSON.stringify({ ...b, creationDate: b.creationDate.toISOString(), versioning: status });
    await this.guard(bucket, writeAtomic(this.root, join(bucketDir(this.root, bucket), 'bucket.json'), [Buffer.from(json, 'utf8')]));
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.requireBucket(bucket);
    if ((await this.hasObjects(keysDir(this.root, bucket))) || (await hasVersions(this.root, bucket))) throw new ObjectStoreError('BucketNotEmpty', bucket);
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
    const b = await this.requireBucket(bucket);
    const { body, metadata, ...headers } = input;
    const info: ObjectInfo = {
      ...headers,
      key,
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: now,
      metadata: metadata ?? {},
    };
    return toInfo(await this.place(b, key, toStored(info), body, now), b);
  }

  async headObject(bucket: string, key: string, version?: VersionSelector): Promise<ObjectInfo | undefined> {
    const b = await this.requireBucket(bucket);
    const file = await this.fileOf(b, key, version);
    const h = file && (await readObjectHeader<StoredHeader>(file));
    return h ? toInfo(h, b, file) : undefined;
  }

  async getObject(bucket: string, key: string, range?: RangeSpec, version?: VersionSelector): Promise<ObjectContent | undefined> {
    const b = await this.requireBucket(bucket);
    const file = await this.fileOf(b, key, version);
    const f = file && (await openObjectFile<StoredHeader>(file));
    if (!f) return undefined;
    try {
      const info = toInfo(f.header, b, file);
      if (!range || info.deleteMarker) return { info, body: await f.read(0, f.bodySize) };
      const r = resolveRange(range, f.bodySize);
      if (!r) throw new ObjectStoreError('InvalidRange', bucket, f.bodySize);
      return { info, body: await f.read(r.start, r.end - r.start + 1), range: r };
    } finally {
      await f.close();
    }
  }

  async deleteObject(bucket: string, key: string, options: DeleteObjectOptions = {}): Promise<DeleteObjectResult> {
    const b = await this.requireBucket(bucket);
    const now = options.now ?? new Date();
    if (!b.versioning) {
      if (options.versionId !== undefined && options.versionId !== 'null') return {};
      const file = objectPath(this.root, bucket, key);
      await rm(file, { force: true });
      await pruneSegmentDirs(this.root, bucket, file);
      return options.versionId !== undefined ? { versionId: 'null' } : {};
    }
    await this.adopt(bucket, key);
    if (options.versionId === undefined) {
      const marker: StoredHeader = { key, size: 0, etag: '', lastModified: now.toISOString(), metadata: {}, deleteMarker: true };
      const placed = await this.place(b, key, marker, Buffer.alloc(0), now);
      return { versionId: placed.versionId ?? 'null', deleteMarker: true };
    }
    const file = await this.fileOf(b, key, { versionId: options.versionId, deleteMarkers: true });
    const h = file && (await readObjectHeader<StoredHeader>(file));
    if (!file || !h) return { versionId: options.versionId };
    if (isLocked(toInfo(h, b, file), now, options.bypassGovernance === true)) throw new ObjectStoreError('ObjectLocked', bucket);
    await rm(file, { force: true });
    await pruneVersionDirs(this.root, bucket, key);
    await publish(this.root, bucket, key, isMarkerFile);
    return { versionId: options.versionId, ...(h.deleteMarker ? { deleteMarker: true } : {}) };
  }

  async listObjectVersions(bucket: string, q: ListVersionsQuery): Promise<ListVersionsPage> {
    const b = await this.requireBucket(bucket);
    const prefix = q.prefix ?? '';
    const prefixHex = keyToHex(prefix);
    const hexes: string[] = [];
    await this.collect(keysDir(this.root, bucket), '', prefixHex, hexes);
    await collectVersionKeys(versionsDir(this.root, bucket), '', prefixHex, hexes);
    const markerHex = q.keyMarker === undefined ? undefined : keyToHex(q.keyMarker);
    const keys = [...new Set(hexes)].filter((h) => markerHex === undefined || h >= markerHex).sort();
    const picked: { key: string; file: string; latest: boolean }[] = [];
    const commonPrefixes: string[] = [];
    let count = 0;
    let last: { key: string; versionId?: string } | undefined;
    const truncated = (): ListVersionsPage => ({
      versions: [],
      commonPrefixes,
      isTruncated: q.maxKeys > 0,
      ...(last ? { nextKeyMarker: last.key, ...(last.versionId !== undefined ? { nextVersionIdMarker: last.versionId } : {}) } : {}),
    });
    let page: ListVersionsPage | undefined;
    outer: for (const hex of keys) {
      const key = hexToKey(hex);
      if (hex === markerHex && q.versionIdMarker === undefined) continue;
      if (q.delimiter) {
        const i = key.indexOf(q.delimiter, prefix.length);
        if (i >= 0) {
          const rollup = key.slice(0, i + q.delimiter.length);
          if (rollup === commonPrefixes[commonPrefixes.length - 1] || rollup === q.keyMarker) continue;
          if (count >= q.maxKeys) {
            page = truncated();
            break;
          }
          commonPrefixes.push(rollup);
          count++;
          last = { key: rollup };
          continue;
        }
      }
      const dir = versionDir(this.root, bucket, key);
      let files = (await versionNames(dir)).map((n) => ({ file: join(dir, n), versionId: versionIdOfFile(n) }));
      if (files.length === 0 && b.versioning === undefined) files = [{ file: objectPath(this.root, bucket, key), versionId: 'null' }];
      else if (files.length === 0) {
        const h = await readObjectHeader<StoredHeader>(objectPath(this.root, bucket, key));
        if (h) files = [{ file: objectPath(this.root, bucket, key), versionId: h.versionId ?? 'null' }];
      }
      let start = 0;
      if (hex === markerHex && q.versionIdMarker !== undefined) {
        const i = files.findIndex((f) => f.versionId === q.versionIdMarker);
        start = i < 0 ? files.length : i + 1;
      }
      for (let j = start; j < files.length; j++) {
        if (count >= q.maxKeys) {
          page = truncated();
          break outer;
        }
        picked.push({ key, file: files[j]!.file, latest: j === 0 });
        count++;
        last = { key, versionId: files[j]!.versionId };
      }
    }
    const versions: ObjectVersion[] = [];
    for (const p of picked) {
      const h = await readObjectHeader<StoredHeader>(p.file);
      if (!h) continue;
      const info = toInfo(h, { versioning: b.versioning ?? 'Suspended' }, p.file);
      versions.push({ ...info, versionId: info.versionId ?? 'null', isLatest: p.latest });
    }
    return page ? { ...page, versions } : { versions, commonPrefixes, isTruncated: false };
  }

  async updateObject(bucket: string, key: string, versionId: string | undefined, patch: ObjectPatch): Promise<ObjectInfo | undefined> {
    const b = await this.requireBucket(bucket);
    if (b.versioning) await this.adopt(bucket, key);
    let file: string | undefined;
    if (versionId === undefined && b.versioning) {
      const dir = versionDir(this.root, bucket, key);
      const newest = (await versionNames(dir))[0];
      file = newest && join(dir, newest);
    } else file = await this.fileOf(b, key, { versionId, deleteMarkers: true });
    const f = file && (await openObjectFile<StoredHeader>(file));
    if (!f) return undefined;
    try {
      if (f.header.deleteMarker) {
        if (versionId === undefined) return undefined;
        throw new ObjectStoreError('DeleteMarker', bucket);
      }
      const { tags: _t, lock: _l, ...rest } = f.header;
      const tags = patch.tags ?? f.header.tags;
      const lock = definedOnly({ ...toInfo(f.header, b).lock, ...(patch.lock ?? {}) });
      const header: StoredHeader = {
        ...rest,
        ...(tags?.length ? { tags } : {}),
        ...(Object.keys(lock).length ? { lock: storedLock(lock) } : {}),
      };
      const [magic, len, json] = objectFileParts(header, Buffer.alloc(0));
      await this.guard(
        bucket,
        writeAtomic(this.root, file!, async (fh) => {
          await fh.writev([magic!, len!, json!]);
          await copyBody(f, fh);
        }),
      );
      if (b.versioning) await publish(this.root, bucket, key, isMarkerFile);
      return toInfo(header, b, file);
    } finally {
      await f.close();
    }
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
    const objects = headers.filter((h): h is StoredHeader => h !== undefined).map((h) => toInfo(h));
    return {
      objects,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      ...(page.nextMarker !== undefined ? { nextMarker: page.nextMarker } : {}),
    };
  }

  async copyObject(bucket: string, key: string, input: CopyObjectInput, now: Date): Promise<ObjectInfo | undefined> {
    const { source, replace } = input;
    const sb = await this.requireBucket(source.bucket);
    const b = await this.requireBucket(bucket);
    // read from one descriptor: a concurrent replace of the source (or a copy onto itself) cannot mix versions
    const file = await this.fileOf(sb, source.key, { versionId: source.versionId, deleteMarkers: true });
    const f = file && (await openObjectFile<StoredHeader>(file));
    if (!f) return undefined;
    try {
      const src = toInfo(f.header, sb, file);
      if (src.deleteMarker) throw new ObjectStoreError('DeleteMarker', source.bucket);
      const etag = src.etag.includes('-') ? await md5Of(f) : src.etag;
      const { checksum: _c, tags: _t, lock: _l, acl: _a, ...replaced } = replace ?? {};
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
      const tags = input.tags ?? src.tags;
      const info: ObjectInfo = {
        ...definedOnly(headers),
        key,
        size: f.bodySize,
        etag,
        lastModified: now,
        metadata: headers.metadata,
        ...(checksum ? { checksum } : {}),
        ...(tags?.length ? { tags } : {}),
        ...(input.lock ? { lock: input.lock } : {}),
        ...(input.acl !== undefined ? { acl: input.acl } : {}),
      };
      return toInfo(await this.place(b, key, toStored(info), (fh) => copyBody(f, fh), now), b);
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
    const b = await this.requireBucket(bucket);
    const placed = await completeUpload(this.root, bucket, key, uploadId, parts, now, (header, write) =>
      this.place(b, key, header as StoredHeader, write, now),
    );
    return toInfo(placed, b);
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

  /**
   * Writes an object file for `key`: over `keys/` in a bucket never versioned; else as a new version
   * (Suspended: the null version, replacing the one before), with the bucket's default retention
   * under Object Lock, then published (versions.ts). Answers the header written.
   */
  private async place(b: BucketInfo, key: string, header: StoredHeader, body: Buffer | ((fh: FileHandle) => Promise<void>), now: Date): Promise<StoredHeader> {
    const bucket = b.name;
    const content = (h: StoredHeader) => {
      const parts = objectFileParts(h, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      if (Buffer.isBuffer(body)) return parts;
      return async (fh: FileHandle) => {
        await fh.writev(parts.slice(0, 3));
        await body(fh);
      };
    };
    const { versionId: _v, seq: _s, ...plain } = header;
    if (!b.versioning) {
      await this.guard(
        bucket,
        writeAtomic(this.root, objectPath(this.root, bucket, key), content(plain), () => makeSegmentDirs(this.root, bucket, key)),
      );
      return plain;
    }
    await this.adopt(bucket, key);
    let lock = plain.lock;
    if (!plain.deleteMarker && b.objectLock && !lock?.mode) {
      const retention = defaultRetention(await this.getBucketConfig(bucket, 'object-lock'), now);
      if (retention) lock = { ...lock, ...storedLock(retention) };
    }
    const versionId = b.versioning === 'Enabled' ? newVersionId() : 'null';
    const seq = nextSeq(now);
    const full: StoredHeader = { ...plain, ...(lock ? { lock } : {}), versionId, seq };
    const dir = versionDir(this.root, bucket, key);
    const name = versionFileName(seq, versionId);
    await this.guard(
      bucket,
      writeAtomic(this.root, join(dir, name), content(full), () => makeVersionDirs(this.root, bucket, key)),
    );
    if (versionId === 'null') {
      for (const n of await versionNames(dir)) if (n !== name && versionIdOfFile(n) === 'null') await rm(join(dir, n), { force: true });
    }
    await publish(this.root, bucket, key, isMarkerFile);
    return full;
  }

  /** An object written before its bucket was versioned becomes the key's oldest version, the null version (versions.ts). */
  private async adopt(bucket: string, key: string): Promise<void> {
    const current = objectPath(this.root, bucket, key);
    const h = await readObjectHeader<StoredHeader>(current);
    if (!h || h.seq !== undefined) return;
    const target = join(versionDir(this.root, bucket, key), versionFileName(ADOPTED_SEQ, 'null'));
    if (await readObjectHeader(target)) return;
    await linkOver(this.root, current, target, () => makeVersionDirs(this.root, bucket, key)).catch((e) => {
      if (!missing(e)) throw e; // replaced or deleted meanwhile: nothing to adopt
    });
  }

  /**
   * The file of the version a read means: the current object (keys/), or the version `versionId`
   * (the null version of a bucket never versioned is its object), or with `deleteMarkers` the
   * newest version when it is a delete marker. undefined when there is none.
   */
  private async fileOf(b: BucketInfo, key: string, version: VersionSelector = {}): Promise<string | undefined> {
    const current = objectPath(this.root, b.name, key);
    const dir = versionDir(this.root, b.name, key);
    if (version.versionId === undefined) {
      if (!b.versioning || !version.deleteMarkers) return current;
      if (await readObjectHeader(current)) return current;
      const newest = (await versionNames(dir))[0];
      return newest && join(dir, newest);
    }
    if (b.versioning) {
      const name = (await versionNames(dir)).find((n) => versionIdOfFile(n) === version.versionId);
      if (name) return join(dir, name);
    }
    if (version.versionId !== 'null') return undefined;
    const h = await readObjectHeader<StoredHeader>(current);
    return h && h.seq === undefined ? current : undefined;
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

/**
 * The ObjectInfo of a header. In a versioned bucket every version has an id: the header's, or the
 * version file's name (an adopted object), else "null".
 */
function toInfo(h: StoredHeader, b?: Pick<BucketInfo, 'versioning'>, file?: string): ObjectInfo {
  const { lastModified, expires, lock, seq: _seq, versionId, ...rest } = h;
  // a version file is `<seq>-<versionId>.o`; an object file's name (hex) has no '-'
  const base = file?.slice(file.lastIndexOf('/') + 1);
  const fromName = base?.endsWith('.o') && base.includes('-') ? versionIdOfFile(base) : undefined;
  const id = versionId ?? fromName ?? (b?.versioning ? 'null' : undefined);
  return {
    ...rest,
    lastModified: new Date(lastModified),
    ...(expires ? { expires: new Date(expires) } : {}),
    ...(id !== undefined ? { versionId: id } : {}),
    ...(lock
      ? { lock: definedOnly({ mode: lock.mode, legalHold: lock.legalHold, retainUntil: lock.retainUntil ? new Date(lock.retainUntil) : undefined }) }
      : {}),
  };
}

function storedLock(lock: ObjectLock): StoredLock {
  return definedOnly({ mode: lock.mode, legalHold: lock.legalHold, retainUntil: lock.retainUntil?.toISOString() });
}

/** The stored header of an ObjectInfo. */
function toStored(info: ObjectInfo): StoredHeader {
  const { expires, lock, lastModified, ...rest } = info;
  return {
    ...rest,
    lastModified: lastModified.toISOString(),
    ...(expires ? { expires: expires.toISOString() } : {}),
    ...(lock ? { lock: storedLock(lock) } : {}),
  };
}

const isMarkerFile = async (file: string) => {
  const h = await readObjectHeader<StoredHeader>(file).catch((e) => {
    if (missing(e)) return undefined;
    throw e;
  });
  return h ? h.deleteMarker === true : undefined;
};
