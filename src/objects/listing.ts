/**
 * One ListObjects page from keys in byte order (S3 API Reference, ListObjects / ListObjectsV2):
 * keys that contain the delimiter after the prefix roll up into one common prefix (counted once
 * toward max-keys); the page ends after `maxKeys` entries, and its last entry is the next marker.
 * A common prefix equal to the marker was the previous page's last entry and is not repeated.
 */
import type { ListObjectsQuery } from './types.ts';

export interface PageEntries {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextMarker?: string;
}

/** `sortedKeys`: every key that starts with the prefix and sorts after `after`, in UTF-8 byte order. */
export function paginate(sortedKeys: Iterable<string>, q: ListObjectsQuery): PageEntries {
  const prefix = q.prefix ?? '';
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let count = 0;
  let last: string | undefined;
  for (const key of sortedKeys) {
    let rollup: string | undefined;
    if (q.delimiter) {
      const i = key.indexOf(q.delimiter, prefix.length);
      if (i >= 0) rollup = key.slice(0, i + q.delimiter.length);
    }
    if (rollup !== undefined && (rollup === commonPrefixes[commonPrefixes.length - 1] || rollup === q.after)) continue;
    // Another entry exists beyond a full page: truncated (max-keys 0 never is, so clients cannot loop).
    if (count >= q.maxKeys) return { keys, commonPrefixes, isTruncated: q.maxKeys > 0, ...(last !== undefined ? { nextMarker: last } : {}) };
    last = rollup ?? key;
    if (rollup !== undefined) commonPrefixes.push(rollup);
    else keys.push(key);
    count++;
  }
  return { keys, commonPrefixes, isTruncated: false };
}
