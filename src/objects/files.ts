/**
 * On-disk layout of the embedded object store, and its atomic writes (temp file + fsync + rename).
 *
 *   <root>/<bucket>/bucket.json          { name, creationDate, region }
 *   <root>/<bucket>/policy.json          the bucket policy text, when set
 *   <root>/<bucket>/config/<name>.json   a bucket configuration (tagging, encryption, public-access-block,
 *                                        ownership-controls), when set, as the S3 service's JSON
 *   <root>/<bucket>/keys/<hex…>.o        one file per object: "S3O1" | u32 header length | header JSON | bytes
 *   <root>/<bucket>/uploads/<uploadId>/  a multipart upload in progress: upload.json, and one file per
 *                                        part, <n>.p, in the object file format (header: ETag, size, …)
 *   <root>/.tmp/                         temp files and dirs, renamed into place (same file system)
 *
 * Keys never become paths directly: a key is the lower-case hex of its UTF-8 bytes (which sorts in
 * S3's byte order), cut into segments of 200 characters so that no file name exceeds NAME_MAX; all
 * but the last segment are directories. Hex names cannot contain `/`, `.` or `..`, so no key can
 * escape its bucket, and bucket names are checked against S3's rules before any path is built.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isValidBucketName } from './names.ts';

const SEGMENT = 200;
export const OBJECT_SUFFIX = '.o';
const MAGIC = Buffer.from('S3O1');

export function bucketDir(root: string, bucket: string): string {
  if (!isValidBucketName(bucket)) throw new Error(`refusing a path for bucket name '${bucket}'`);
  return join(root, bucket);
}

/** A bucket configuration's file; `name` is one of BUCKET_CONFIGS (types.ts), never caller text. */
export function configPath(root: string, bucket: string, name: string): string {
  return configIn(bucketDir(root, bucket), name);
}

/** The same file under a bucket's directory `dir` (or the temp directory CreateBucket renames into place). */
export function configIn(dir: string, name: string): string {
  if (!/^[a-z-]+$/.test(name)) throw new Error(`refusing a path for bucket configuration '${name}'`);
  return join(dir, 'config', `${name}.json`);
}

export const keysDir = (root: string, bucket: string) => join(bucketDir(root, bucket), 'keys');
export const tmpDir = (root: string) => join(root, '.tmp');

export function keyToHex(key: string): string {
  return Buffer.from(key, 'utf8').toString('hex');
}

export function hexToKey(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** Segments of the key's hex: directories, then the file (with OBJECT_SUFFIX). */
export function objectSegments(key: string): string[] {
  const hex = keyToHex(key);
  const out: string[] = [];
  for (let i = 0; i < hex.length; i += SEGMENT) out.push(hex.slice(i, i + SEGMENT));
  out[out.length - 1] += OBJECT_SUFFIX;
  return out;
}

export function objectPath(root: string, bucket: string, key: string): string {
  return join(keysDir(root, bucket), ...objectSegments(key));
}

export const tempName = (root: string, tag: string) => join(tmpDir(root), `${tag}-${process.pid}-${randomBytes(8).toString('hex')}`);

/** Upload ids are made by the store (uploads.ts) from these characters only, so an id is a safe file name. */
export const UPLOAD_ID = /^[0-9A-Za-z_-]{16,128}$/;

export const uploadsDir = (root: string, bucket: string) => join(bucketDir(root, bucket), 'uploads');

export function uploadDir(root: string, bucket: string, uploadId: string): string {
  if (!UPLOAD_ID.test(uploadId)) throw new Error(`refusing a path for upload id '${uploadId.slice(0, 64)}'`);
  return join(uploadsDir(root, bucket), uploadId);
}

export const partPath = (dir: string, partNumber: number) => join(dir, `${partNumber}.p`);

/**
 * Writes `content` (buffers, or a function writing to the open file) to a temp file, flushes it to
 * disk, and renames it over `target`. `prepare` makes the target's directory. A failure leaves no temp file.
 */
export async function writeAtomic(
  root: string,
  target: string,
  content: Buffer[] | ((fh: FileHandle) => Promise<void>),
  prepare?: () => Promise<void>,
): Promise<void> {
  const tmp = tempName(root, 'w');
  const fh = await open(tmp, 'wx', 0o600);
  try {
    if (typeof content === 'function') await content(fh);
    else await fh.writev(content);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await prepare?.();
        await rename(tmp, target);
        return;
      } catch (e) {
        // a concurrent delete may have removed an emptied segment directory: make it again
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw e;
      }
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Makes the segment directories of an object below `keys/` one level at a time, so a deleted bucket is never re-created. */
export async function makeSegmentDirs(root: string, bucket: string, key: string): Promise<void> {
  let dir = keysDir(root, bucket);
  for (const seg of objectSegments(key).slice(0, -1)) {
    dir = join(dir, seg);
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

/** After a delete: removes the object's now-empty segment directories (never `keys/` itself). */
export async function pruneSegmentDirs(root: string, bucket: string, file: string): Promise<void> {
  const stop = keysDir(root, bucket);
  for (let dir = dirname(file); dir.length > stop.length && dir.startsWith(stop); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

/** The object file: magic, header length, header JSON, bytes. */
export function objectFileParts(header: object, body: Buffer): Buffer[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return [MAGIC, len, json, body];
}

/** An open object file: its header, and reads of its bytes from the same descriptor (so a concurrent replace cannot mix versions). */
export interface ObjectFile<H> {
  header: H;
  bodySize: number;
  read(start: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens an object file and reads its header; undefined when the file does not exist. */
export async function openObjectFile<H>(file: string): Promise<ObjectFile<H> | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 8192));
    await fh.read(head, 0, head.length, 0);
    if (head.length < 8 || !head.subarray(0, 4).equals(MAGIC)) throw new Error(`not an object file: ${file}`);
    const len = head.readUInt32BE(4);
    let json = head.subarray(8, 8 + len);
    if (json.length < len) {
      json = Buffer.alloc(len);
      await fh.read(json, 0, len, 8);
    }
    const offset = 8 + len;
    return {
      header: JSON.parse(json.toString('utf8')) as H,
      bodySize: size - offset,
      async read(start, length) {
        const out = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await fh.read(out, done, length - done, offset + start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return out.subarray(0, done);
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

const COPY_CHUNK = 4 * 1024 * 1024;

/** Writes `length` bytes of an open object file's body from `start` to `fh`, a few MiB at a time. */
export async function copyBody<H>(from: ObjectFile<H>, fh: FileHandle, start = 0, length = from.bodySize - start): Promise<void> {
  for (let done = 0; done < length; ) {
    const chunk = await from.read(start + done, Math.min(COPY_CHUNK, length - done));
    if (chunk.length === 0) throw new Error('object file ended early');
    await fh.write(chunk);
    done += chunk.length;
  }
}

/** Just the header of an object file; undefined when it does not exist. */
export async function readObjectHeader<H>(file: string): Promise<H | undefined> {
  const f = await openObjectFile<H>(file);
  if (!f) return undefined;
  await f.close();
  return f.header;
}
