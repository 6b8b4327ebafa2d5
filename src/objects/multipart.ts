/**
 * Multipart upload rules every object store applies (S3 API Reference CompleteMultipartUpload,
 * UploadPart; User Guide "Uploading and copying objects using multipart upload"): part numbers
 * 1–10000; CompleteMultipartUpload names its parts in ascending order (InvalidPartOrder), each as
 * uploaded with its ETag (InvalidPart), and every part but the last holds at least 5 MiB
 * (EntityTooSmall). The object's ETag is the MD5 of the parts' binary MD5s, then "-<number of
 * parts>"; with a checksum algorithm named at creation, its checksum is the composite one, built
 * the same way from the parts' checksums.
 */
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ObjectStoreError, type ChecksumAlgorithm, type CompletedPart, type ObjectChecksum, type PartInfo } from './types.ts';

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

/** An opaque upload id whose order is its initiation order: 12 hex digits of milliseconds, then 32 random characters. */
export function newUploadId(now: Date): string {
  return `${now.getTime().toString(16).padStart(12, '0')}${randomBytes(24).toString('base64url')}`;
}

const unquote = (etag: string) => etag.trim().replace(/^"(.*)"$/, '$1');

/**
 * The stored parts CompleteMultipartUpload names, in its order, or S3's refusal: InvalidPartOrder,
 * then InvalidPart (missing, another ETag, or another checksum), then EntityTooSmall.
 */
export function chooseParts(bucket: string, requested: CompletedPart[], stored: Map<number, PartInfo>): PartInfo[] {
  for (let i = 1; i < requested.length; i++) {
    if (requested[i]!.partNumber <= requested[i - 1]!.partNumber) throw new ObjectStoreError('InvalidPartOrder', bucket);
  }
  const chosen = requested.map((r) => {
    const part = stored.get(r.partNumber);
    const checksumDiffers = r.checksum && (!part?.checksum || part.checksum.algorithm !== r.checksum.algorithm || part.checksum.value !== r.checksum.value);
    if (!part || unquote(part.etag) !== unquote(r.etag) || checksumDiffers) {
      throw new ObjectStoreError('InvalidPart', bucket, undefined, { partNumber: r.partNumber, etag: r.etag });
    }
    return part;
  });
  chosen.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE) throw new ObjectStoreError('EntityTooSmall', bucket, undefined, { partNumber: p.partNumber, etag: p.etag, size: p.size });
  });
  return chosen;
}

/** `"<md5 of the parts' MD5s>-<n>"` */
export function multipartEtag(parts: PartInfo[]): string {
  const md5 = createHash('md5');
  for (const p of parts) md5.update(Buffer.from(unquote(p.etag), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

function digest(algorithm: ChecksumAlgorithm, bytes: Buffer): string | undefined {
  switch (algorithm) {
    case 'CRC32': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(bytes) >>> 0);
      return b.toString('base64');
    }
    case 'SHA1':
      return createHash('sha1').update(bytes).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(bytes).digest('base64');
    default:
      return undefined; // CRC32C, CRC64NVME: no composite computed here
  }
}

/** The composite checksum `<checksum of the parts' checksums>-<n>`, when every part carries one of `algorithm`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm | undefined, parts: PartInfo[]): ObjectChecksum | undefined {
  if (!algorithm || !parts.every((p) => p.checksum?.algorithm === algorithm)) return undefined;
  const value = digest(algorithm, Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64'))));
  return value === undefined ? undefined : { algorithm, value: `${value}-${parts.length}` };
}
