/**
 * Payload integrity as S3 checks it (S3 API Reference PutObject; User Guide "Checking object
 * integrity"): Content-MD5 (base64 MD5) and the flexible checksums x-amz-checksum-{crc32, crc32c,
 * sha1, sha256, crc64nvme} (base64 of the big-endian digest), sent as headers or as aws-chunked
 * trailers. CRC64NVME is accepted and kept but not recomputed here.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from '../../errors/aws-error.ts';

export type FlexibleAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';

export const CHECKSUM_HEADERS: Record<string, FlexibleAlgorithm> = {
  'x-amz-checksum-crc32': 'CRC32',
  'x-amz-checksum-crc32c': 'CRC32C',
  'x-amz-checksum-sha1': 'SHA1',
  'x-amz-checksum-sha256': 'SHA256',
  'x-amz-checksum-crc64nvme': 'CRC64NVME',
};

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32c(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC32C_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u32(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
}

/** base64 checksum of the payload, or undefined for an algorithm not computed here. */
export function computeChecksum(algorithm: FlexibleAlgorithm, payload: Buffer): string | undefined {
  switch (algorithm) {
    case 'CRC32':
      return u32(crc32(payload));
    case 'CRC32C':
      return u32(crc32c(payload));
    case 'SHA1':
      return createHash('sha1').update(payload).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(payload).digest('base64');
    default:
      return undefined;
  }
}

const badDigest = (message: string) => new AwsError('BadDigest', message, 400);

/** Throws S3's InvalidDigest / BadDigest unless every integrity value sent (header or trailer) matches the payload. */
export function verifyIntegrity(payload: Buffer, value: (name: string) => string | undefined): void {
  const md5 = value('content-md5');
  if (md5 !== undefined) {
    const raw = Buffer.from(md5, 'base64');
    if (raw.length !== 16 || raw.toString('base64') !== md5.trim()) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
    if (!raw.equals(createHash('md5').update(payload).digest())) throw badDigest('The Content-MD5 you specified did not match what we received.');
  }
  for (const [name, algorithm] of Object.entries(CHECKSUM_HEADERS)) {
    const sent = value(name);
    if (sent === undefined) continue;
    const actual = computeChecksum(algorithm, payload);
    if (actual !== undefined && actual !== sent.trim()) throw badDigest(`The ${algorithm} you specified did not match the calculated checksum.`);
  }
}
