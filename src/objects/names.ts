/**
 * S3's naming rules, shared by every object store and the S3 service: bucket names (S3 User Guide
 * "Bucket naming rules", general purpose buckets), key length (1–1024 bytes of UTF-8), byte-order
 * comparison of keys, and HTTP byte ranges resolved against an object's size (RFC 9110 §14.1.2).
 */
import type { ByteRange, RangeSpec } from './types.ts';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** 3–63 of a-z 0-9 . -, starting and ending with a letter or digit; no `..`; not an IPv4 address; no reserved prefix or suffix. */
export function isValidBucketName(name: string): boolean {
  if (!BUCKET.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return false;
  return !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name);
}

export const MAX_KEY_BYTES = 1024;

export function keyBytes(key: string): number {
  return Buffer.byteLength(key, 'utf8');
}

/** Keys compare as their UTF-8 bytes (S3's list order), which differs from JS string order for astral characters. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * A range against an object of `size` bytes: the bytes it covers, or `undefined` when unsatisfiable
 * (first byte past the end, or a zero-length suffix) — S3's InvalidRange, 416.
 */
export function resolveRange(spec: RangeSpec, size: number): ByteRange | undefined {
  if ('suffix' in spec) {
    if (spec.suffix <= 0 || size === 0) return undefined;
    return { start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  if (spec.first >= size) return undefined;
  const end = spec.last === undefined ? size - 1 : Math.min(spec.last, size - 1);
  return end < spec.first ? undefined : { start: spec.first, end };
}
