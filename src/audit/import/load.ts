/**
 * `startrail import`: loads existing CloudTrail data into Event history (docs/architecture.md#event-history). Files are `{"Records":[…]}` log files as trails deliver them (gzipped or not),
 * bare arrays, or JSON Lines; directories are walked (an AWSLogs/ tree works as is). Each record is
 * stored with its exact source text; appends skip records already stored, so importing twice adds
 * nothing. A file that is not JSON is reported and the others still load.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store, StoredEvent } from '../../store/types.ts';
import { tsWorker } from '../../ts-worker.ts';
import { type ParsedFile, parseFile } from './parse.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';

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
  /** records per transaction (default 10,000) */
  transactionRecords?: number;
  /** parse in a worker thread (default: for imports of 8 MB and more) */
  worker?: boolean;
}

/**
 * Records per transaction. Large transactions are what makes an import fast: each commit writes every
 * index page its inserts touched, and the content key and event id are random, so small commits write
 * nearly a page per record and index. Measured on SQLite (100,000 records, WAL): 200 µs per record with
 * 1,000 per commit, 68 µs with 10,000, 47 µs with 50,000 (docs/performance.md#import).
 */
const TRANSACTION_RECORDS = 10_000;
/** Files asked to be parsed ahead of the one being taken in. */
const PARSE_AHEAD = 4;
/** Imports at least this large (bytes on disk) parse in a worker thread while the store inserts. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;

export async function importPaths(store: Store, paths: string[], opts: ImportOptions): Promise<ImportResult> {
  const files = await expand(paths);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const p: ImportProgress = { files: files.length, filesDone: 0, bytes: sizes.reduce((a, b) => a + b, 0), bytesDone: 0, records: 0, added: 0, invalid: 0 };
  const problems: ImportResult['problems'] = [];
  const batchSize = opts.batchSize ?? 1000;
  const problem = (path: string, message: string, count = 1) => {
    const same = problems.find((x) => x.path === path && x.message === message);
    if (same) same.count += count;
    else problems.push({ path, message, count });
  };
  const parser = (opts.worker ?? p.bytes >= WORKER_FROM_BYTES) ? workerParser() : inlineParser();
  const perTransaction = opts.transactionRecords ?? TRANSACTION_RECORDS;
  let pending: StoredEvent[] = [];
  // one transaction in flight while the next one's files are parsed (and the one after is read)
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const events = pending;
    pending = [];
    await inflight;
    if (!events.length) return;
    inflight = store
      .transaction(async (tx) => {
        let added = 0;
        for (let start = 0; start < events.length; start += batchSize) added += await tx.events.append(events.slice(start, start + batchSize));
        return added;
      })
      .then((added) => {
        p.added += added;
      });
    inflight.catch(() => {}); // awaited by the next flush or the end
  };
  // files parsed ahead of the one being taken in, in order
  const ahead: Promise<ParsedFile>[] = [];
  let asked = 0;
  const askAhead = () => {
    while (asked < files.length && ahead.length < PARSE_AHEAD) ahead.push(parser.parse(files[asked++] as string, opts.now()));
  };
  try {
    askAhead();
    for (const [i, file] of files.entries()) {
      const parsed = await (ahead.shift() as Promise<ParsedFile>);
      askAhead();
      const size = sizes[i] ?? 0;
      const before = p.bytesDone;
      if ('error' in parsed) problem(file, parsed.error);
      else {
        p.records += parsed.records;
        for (const [message, count] of parsed.invalid) {
          p.invalid += count;
          problem(file, message, count);
        }
        const events = parsed.events;
        for (let start = 0; start < events.length; ) {
          const take = Math.min(events.length - start, perTransaction - pending.length);
          for (let k = start; k < start + take; k++) pending.push(events[k] as StoredEvent);
          start += take;
          if (pending.length < perTransaction) continue;
          await flush();
          p.bytesDone = before + Math.round((size * start) / events.length);
          opts.onProgress?.({ ...p });
        }
      }
      p.filesDone++;
      p.bytesDone = before + size;
      if (i === files.length - 1) {
        await flush();
        await inflight;
      }
      opts.onProgress?.({ ...p });
    }
  } finally {
    // an import that failed leaves files parsed ahead unread: their failures are not more of them
    for (const a of ahead) a.catch(() => {});
    await inflight.catch(() => {});
    await parser.close();
  }
  return { ...p, duplicates: p.records - p.invalid - p.added, problems };
}

interface Parser {
  parse(file: string, now: Date): Promise<ParsedFile>;
  close(): Promise<void>;
}

function inlineParser(): Parser {
  return { parse: parseFile, close: async () => {} };
}

/** parse.ts in a worker thread: files are parsed concurrently, each answer matched to its request by id. */
function workerParser(): Parser {
  // a small heap: it holds a few files at a time, and a large one only grows the import's RSS
  const worker = tsWorker(new URL('./parse-worker.ts', import.meta.url), { importParser: true }, { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  const waiting = new Map<number, { resolve: (p: ParsedFile) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const fail = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', ({ id, ...m }: ParseReply) => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if ('fatal' in m) w.reject(new Error(m.fatal));
    else w.resolve(m);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the import's parsing thread ended (exit code ${code})`)));
  return {
    parse(file, now) {
      return new Promise<ParsedFile>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, file, now: now.getTime() } satisfies ParseRequest);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
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
