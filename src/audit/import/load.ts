/**
 * `startrail import`: loads existing CloudTrail data into Event history (docs/architecture.md#event-history). Files are `{"Records":[…]}` log files as trails deliver them (gzipped or not),
 * bare arrays, or JSON Lines; directories are walked (an AWSLogs/ tree works as is). Each record is
 * stored with its exact source text; appends skip records already stored, so importing twice adds
 * nothing. A file that is not JSON is reported and the others still load.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Store, StoredEvent } from '../../store/types.ts';
import { parsedContentKey } from '../../store/events.ts';
import { RecordError, storedEvent } from '../columns.ts';
import { recordSlices } from './scan.ts';

export interface ImportProgress {
  files: number;
  filesDone: number;
  /** sizes on disk, so progress moves with the work even for one large file */
  bytes: number;
  bytesDone: number;
  records: number;
  added: number;
  /** not CloudTrail records (no object, no eventTime) */
  invalid: number;
}

export interface ImportResult extends ImportProgress {
  /** records seen that were already in history */
  duplicates: number;
  /** files that could not be read, and records that were not CloudTrail records, counted per file and reason */
  problems: { path: string; message: string; count: number }[];
}

export interface ImportOptions {
  /** when the records enter history (retention counts from here) */
  now: () => Date;
  onProgress?: (p: ImportProgress) => void;
  batchSize?: number;
}

const GZIP = [0x1f, 0x8b];

export async function importPaths(store: Store, paths: string[], opts: ImportOptions): Promise<ImportResult> {
  const files = await expand(paths);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const p: ImportProgress = { files: files.length, filesDone: 0, bytes: sizes.reduce((a, b) => a + b, 0), bytesDone: 0, records: 0, added: 0, invalid: 0 };
  const problems: ImportResult['problems'] = [];
  const batchSize = opts.batchSize ?? 1000;
  const problem = (path: string, message: string) => {
    const same = problems.find((x) => x.path === path && x.message === message);
    if (same) same.count++;
    else problems.push({ path, message, count: 1 });
  };
  for (const [i, file] of files.entries()) {
    const size = sizes[i] ?? 0;
    const before = p.bytesDone;
    const slices = await readRecords(file).catch((e: Error) => {
      problem(file, e.message);
      return [];
    });
    for (let start = 0; start < slices.length; start += batchSize) {
      const batch: StoredEvent[] = [];
      for (const text of slices.slice(start, start + batchSize)) {
        p.records++;
        const e = toEvent(text, opts.now());
        if (typeof e !== 'string') batch.push(e);
        else {
          p.invalid++;
          problem(file, e);
        }
      }
      p.added += await store.events.append(batch);
      p.bytesDone = before + Math.round((size * Math.min(slices.length, start + batchSize)) / slices.length);
      opts.onProgress?.({ ...p });
    }
    p.filesDone++;
    p.bytesDone = before + size;
    opts.onProgress?.({ ...p });
  }
  return { ...p, duplicates: p.records - p.invalid - p.added, problems };
}

/** A stored event, or why the slice is not a CloudTrail record. */
function toEvent(text: string, now: Date): StoredEvent | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a CloudTrail record (not an object)';
  try {
    // the key from the object just parsed: the store would parse the text again for it
    return { ...storedEvent(parsed as Record<string, unknown>, text, { addedAt: now, imported: true }), contentKey: parsedContentKey(parsed) };
  } catch (e) {
    if (e instanceof RecordError) return `not a CloudTrail record: ${e.message}`;
    throw e;
  }
}

/** The record slices of one file; rejects when the file cannot be read, unzipped or scanned. */
async function readRecords(file: string): Promise<string[]> {
  let bytes = await readFile(file);
  if (bytes[0] === GZIP[0] && bytes[1] === GZIP[1]) bytes = gunzipSync(bytes);
  return recordSlices(bytes.toString('utf8'));
}

/** Files as given; directories walked recursively, in name order. */
async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const s = await stat(path);
    if (!s.isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    out.push(...(await expand(entries.filter((e) => e.isDirectory() || e.isFile()).map((e) => join(path, e.name)))));
  }
  return out;
}
