/**
 * Multipart uploads in the embedded store (layout in files.ts): an upload is a directory made
 * complete in a temp dir and renamed into `<bucket>/uploads/`, each part a file written atomically
 * (so a retried part replaces the earlier one whole), and completing streams the parts into the
 * object file, renamed into place in one step, before the upload's directory is removed. A part or
 * upload that vanishes meanwhile (a concurrent abort or completion) is NoSuchUpload. The caller
 * (EmbeddedObjectStore) has checked the bucket.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { copyBody, objectFileParts, openObjectFile, partPath, readObjectHeader, tempName, UPLOAD_ID, uploadDir, uploadsDir, writeAtomic } from './files.ts';
import { chooseParts, compositeChecksum, multipartEtag, newUploadId } from './multipart.ts';
import { compareKeys } from './names.ts';
import {
  ObjectStoreError,
  type CompletedPart,
  type ListPartsPage,
  type ListPartsQuery,
  type ListUploadsPage,
  type ListUploadsQuery,
  type MultipartUpload,
  type MultipartUploadInput,
  type ObjectChecksum,
  type PartInfo,
} from './types.ts';

/** upload.json: what CreateMultipartUpload said, kept for the object CompleteMultipartUpload makes */
interface StoredUpload extends Omit<MultipartUploadInput, 'expires'> {
  uploadId: string;
  key: string;
  initiated: string;
  expires?: string;
}

/** A part file's header. */
interface StoredPart {
  etag: string;
  size: number;
  lastModified: string;
  checksum?: ObjectChecksum;
}

const missing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');
const noSuchUpload = (bucket: string) => new ObjectStoreError('NoSuchUpload', bucket);

const toUpload = (u: StoredUpload): MultipartUpload => ({
  uploadId: u.uploadId,
  key: u.key,
  initiated: new Date(u.initiated),
  ...(u.checksumAlgorithm ? { checksumAlgorithm: u.checksumAlgorithm } : {}),
  ...(u.initiator ? { initiator: u.initiator } : {}),
});

const toPart = (partNumber: number, p: StoredPart): PartInfo => ({
  partNumber,
  etag: p.etag,
  size: p.size,
  lastModified: new Date(p.lastModified),
  ...(p.checksum ? { checksum: p.checksum } : {}),
});

export async function createUpload(root: string, bucket: string, key: string, input: MultipartUploadInput, now: Date): Promise<MultipartUpload> {
  const { expires, ...rest } = input;
  const stored: StoredUpload = {
    ...rest,
    uploadId: newUploadId(now),
    key,
    initiated: now.toISOString(),
    ...(expires ? { expires: expires.toISOString() } : {}),
  };
  const tmp = tempName(root, 'u');
  await mkdir(tmp);
  try {
    await writeFile(join(tmp, 'upload.json'), JSON.stringify(stored));
    // one level at a time: a bucket deleted meanwhile is not made again (ENOENT: the caller's NoSuchBucket)
    await mkdir(uploadsDir(root, bucket)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await rename(tmp, uploadDir(root, bucket, stored.uploadId));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return toUpload(stored);
}

/** The upload `uploadId` of `key`, or NoSuchUpload. */
async function readUpload(root: string, bucket: string, key: string, uploadId: string): Promise<StoredUpload> {
  if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(bucket);
  let u: StoredUpload;
  try {
    u = JSON.parse(await readFile(join(uploadDir(root, bucket, uploadId), 'upload.json'), 'utf8')) as StoredUpload;
  } catch (e) {
    if (missing(e)) throw noSuchUpload(bucket);
    throw e;
  }
  if (u.key !== key) throw noSuchUpload(bucket);
  return u;
}

export async function writePart(
  root: string,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Buffer,
  checksum: ObjectChecksum | undefined,
  now: Date,
): Promise<PartInfo> {
  await readUpload(root, bucket, key, uploadId);
  const stored: StoredPart = {
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    size: body.length,
    lastModified: now.toISOString(),
    ...(checksum ? { checksum } : {}),
  };
  try {
    await writeAtomic(root, partPath(uploadDir(root, bucket, uploadId), partNumber), objectFileParts(stored, body));
  } catch (e) {
    if (missing(e)) throw noSuchUpload(bucket);
    throw e;
  }
  return toPart(partNumber, stored);
}

/** Part numbers stored for the upload, ascending. */
async function partNumbers(dir: string, bucket: string): Promise<number[]> {
  const names = await readdir(dir).catch((e) => {
    if (missing(e)) throw noSuchUpload(bucket);
    throw e;
  });
  return names
    .map((n) => /^(\d+)\.p$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function readPart(dir: string, partNumber: number): Promise<PartInfo | undefined> {
  const h = await readObjectHeader<StoredPart>(partPath(dir, partNumber));
  return h && toPart(partNumber, h);
}

/** The object made of the named parts (checked by chooseParts), written in one rename; then the upload is gone. */
/**
 * Joins the parts into one object file written by `place` (the store's: the key's file, or a new
 * version), then removes the upload; answers what `place` answered.
 */
export async function completeUpload<T>(
  root: string,
  bucket: string,
  key: string,
  uploadId: string,
  requested: CompletedPart[],
  now: Date,
  place: (header: Record<string, unknown>, write: (fh: FileHandle) => Promise<void>) => Promise<T>,
): Promise<T> {
  const upload = await readUpload(root, bucket, key, uploadId);
  const dir = uploadDir(root, bucket, uploadId);
  const stored = new Map<number, PartInfo>();
  for (const n of new Set(requested.map((r) => r.partNumber))) {
    const p = Number.isInteger(n) && n > 0 ? await readPart(dir, n) : undefined;
    if (p) stored.set(n, p);
  }
  const parts = chooseParts(bucket, requested, stored);
  const { uploadId: _id, key: _key, initiated: _at, initiator: _by, checksumAlgorithm, metadata, expires, ...headers } = upload;
  const checksum = compositeChecksum(checksumAlgorithm, parts);
  const header = {
    ...headers,
    key,
    size: parts.reduce((n, p) => n + p.size, 0),
    etag: multipartEtag(parts),
    lastModified: now.toISOString(),
    metadata: metadata ?? {},
    ...(expires ? { expires } : {}),
    ...(checksum ? { checksum } : {}),
  };
  const placed = await place(header, async (fh) => {
    for (const p of parts) {
      const f = await openObjectFile<StoredPart>(partPath(dir, p.partNumber));
      if (!f) throw noSuchUpload(bucket);
      try {
        if (f.bodySize !== p.size) throw noSuchUpload(bucket); // replaced meanwhile: the ETag checked is no longer the part's
        await copyBody(f, fh);
      } finally {
        await f.close();
      }
    }
  });
  await removeUpload(root, bucket, uploadId);
  return placed;
}

/** Renames the upload away (atomic: it is gone for every reader at once), then deletes it. */
async function removeUpload(root: string, bucket: string, uploadId: string): Promise<void> {
  const gone = tempName(root, 'a');
  try {
    await rename(uploadDir(root, bucket, uploadId), gone);
  } catch (e) {
    if (missing(e)) throw noSuchUpload(bucket);
    throw e;
  }
  await rm(gone, { recursive: true, force: true });
}

export async function abortUpload(root: string, bucket: string, key: string, uploadId: string): Promise<void> {
  await readUpload(root, bucket, key, uploadId);
  await removeUpload(root, bucket, uploadId);
}

export async function listUploadParts(root: string, bucket: string, key: string, uploadId: string, q: ListPartsQuery): Promise<ListPartsPage> {
  const upload = toUpload(await readUpload(root, bucket, key, uploadId));
  const dir = uploadDir(root, bucket, uploadId);
  const numbers = (await partNumbers(dir, bucket)).filter((n) => n > (q.partNumberMarker ?? 0));
  const page = numbers.slice(0, q.maxParts);
  const parts = (await Promise.all(page.map((n) => readPart(dir, n)))).filter((p): p is PartInfo => p !== undefined);
  const last = parts[parts.length - 1]?.partNumber;
  return { upload, parts, isTruncated: numbers.length > page.length && q.maxParts > 0, ...(last !== undefined ? { nextPartNumberMarker: last } : {}) };
}

/** Every upload of the bucket, by key (byte order) then initiation (its id's order). */
async function allUploads(root: string, bucket: string): Promise<MultipartUpload[]> {
  const ids = (
    await readdir(uploadsDir(root, bucket)).catch((e) => {
      if (missing(e)) return [] as string[];
      throw e;
    })
  ).filter((n) => UPLOAD_ID.test(n));
  const read = async (id: string) => {
    try {
      return toUpload(JSON.parse(await readFile(join(uploadDir(root, bucket, id), 'upload.json'), 'utf8')) as StoredUpload);
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  };
  const uploads = (await Promise.all(ids.map(read))).filter((u): u is MultipartUpload => u !== undefined);
  return uploads.sort((a, b) => compareKeys(a.key, b.key) || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
}

/** ListMultipartUploads paging: markers, prefix, delimiter → common prefixes (counted once), max-uploads. */
export async function listUploads(root: string, bucket: string, q: ListUploadsQuery): Promise<ListUploadsPage> {
  const prefix = q.prefix ?? '';
  const uploads: MultipartUpload[] = [];
  const commonPrefixes: string[] = [];
  let last: { key: string; uploadId?: string } | undefined;
  for (const u of await allUploads(root, bucket)) {
    if (!u.key.startsWith(prefix)) continue;
    if (q.keyMarker !== undefined) {
      const c = compareKeys(u.key, q.keyMarker);
      if (c < 0 || (c === 0 && (q.uploadIdMarker === undefined || u.uploadId <= q.uploadIdMarker))) continue;
    }
    let rollup: string | undefined;
    if (q.delimiter) {
      const i = u.key.indexOf(q.delimiter, prefix.length);
      if (i >= 0) rollup = u.key.slice(0, i + q.delimiter.length);
    }
    if (rollup !== undefined && (rollup === commonPrefixes[commonPrefixes.length - 1] || rollup === q.keyMarker)) continue;
    if (uploads.length + commonPrefixes.length >= q.maxUploads) {
      return {
        uploads,
        commonPrefixes,
        isTruncated: q.maxUploads > 0,
        ...(last ? { nextKeyMarker: last.key, ...(last.uploadId ? { nextUploadIdMarker: last.uploadId } : {}) } : {}),
      };
    }
    if (rollup !== undefined) {
      commonPrefixes.push(rollup);
      last = { key: rollup };
    } else {
      uploads.push(u);
      last = { key: u.key, uploadId: u.uploadId };
    }
  }
  return { uploads, commonPrefixes, isTruncated: false };
}
