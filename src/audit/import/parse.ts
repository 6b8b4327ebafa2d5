/**
 * One file of `startrail import` made into stored events (load.ts): read, gunzipped, cut into record
 * slices (scan.ts), each parsed, checked and given its content key. Runs in the importing thread for
 * small imports and in a worker (parse-worker.ts) for large ones, so parsing overlaps the inserts.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { StoredEvent } from '../../store/types.ts';
import { parsedContentKey } from '../../store/events.ts';
import { RecordError, storedEvent } from '../columns.ts';
import { recordSlices } from './scan.ts';

/** A file's records: the events, and why the others are not CloudTrail records (per reason, counted). */
export type ParsedFile = { events: StoredEvent[]; records: number; invalid: [message: string, count: number][] } | { error: string };

const GZIP = [0x1f, 0x8b];

export async function parseFile(file: string, now: Date): Promise<ParsedFile> {
  let slices: string[];
  try {
    slices = await readRecords(file);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const events: StoredEvent[] = [];
  const invalid = new Map<string, number>();
  for (const text of slices) {
    const e = toEvent(text, now);
    if (typeof e !== 'string') events.push(e);
    else invalid.set(e, (invalid.get(e) ?? 0) + 1);
  }
  return { events, records: slices.length, invalid: [...invalid] };
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
