/** importPaths: every file shape, gzip, directories, idempotence, progress, problems reported per file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SecretBox } from '../../store/secret-box.ts';
import { openSqliteStore } from '../../store/sqlite/open.ts';
import { importPaths, type ImportProgress } from './load.ts';

const rec = (n: number) =>
  `{"eventVersion":"1.08","eventTime":"2024-01-0${n}T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"E${n}","eventID":"id-${n}"}`;
const now = new Date('2026-01-01T00:00:00Z');

for (const worker of [false, true])
  test(`Records files (gzipped or not), arrays and JSON Lines in a directory tree load once, byte for byte (${worker ? 'parsed in a worker thread' : 'parsed inline'})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'startrail-import-'));
    try {
      mkdirSync(join(dir, 'AWSLogs', '1', 'CloudTrail'), { recursive: true });
      writeFileSync(join(dir, 'AWSLogs', '1', 'CloudTrail', 'a.json.gz'), gzipSync(`{"Records":[${rec(1)},\n  ${rec(2)}]}`));
      writeFileSync(join(dir, 'b.json'), `[\n${rec(3)}\n]`);
      writeFileSync(join(dir, 'c.jsonl'), `${rec(4)}\n${rec(5)}\n${rec(1)}\n`);
      writeFileSync(join(dir, 'digest.json'), '{"awsAccountId":"1","digestStartTime":"2024-01-01T00:00:00Z"}');
      writeFileSync(join(dir, 'notes.txt'), 'hello');
      const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
      const seen: ImportProgress[] = [];
      const r = await importPaths(store, [dir], { now: () => now, onProgress: (p) => seen.push(p), batchSize: 2, worker });
      assert.deepEqual(
        { ...r, problems: undefined },
        { files: 5, filesDone: 5, bytes: r.bytes, bytesDone: r.bytes, records: 7, added: 5, invalid: 1, duplicates: 1, problems: undefined },
      );
      assert.deepEqual(
        r.problems.map((p) => [p.path.slice(dir.length + 1), p.count]),
        [
          ['digest.json', 1],
          ['notes.txt', 1],
        ],
      );
      assert.match(r.problems[1]!.message, /expected a JSON object or array/);
      assert.equal(seen.at(-1)?.bytesDone, r.bytes);
      assert.ok(seen.every((p, i) => i === 0 || p.bytesDone >= seen[i - 1]!.bytesDone));
      const got = await store.events.lookup({ attributes: [], limit: 50 });
      assert.deepEqual(
        got.events.map((e) => e.json),
        [5, 4, 3, 2, 1].map(rec),
      );
      assert.deepEqual([got.events[0]!.imported, got.events[0]!.addedAt], [true, now]);
      const again = await importPaths(store, [dir], { now: () => now, worker });
      assert.deepEqual([again.added, again.duplicates], [0, 6]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('parsed in a worker thread, each file keeps its own records: a small file read after a large one is answered first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-import-'));
  try {
    // a large file first: its read and parse take many times longer than the small file's after it
    const big = Array.from(
      { length: 20_000 },
      (_, i) =>
        `{"eventVersion":"1.08","eventTime":"2024-02-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"Big","eventID":"big-${i}","pad":"${'x'.repeat(200)}"}`,
    );
    writeFileSync(join(dir, 'a-big.json'), `{"Records":[${big.join(',')}]}`);
    writeFileSync(join(dir, 'b-bad.json'), 'not json at all');
    writeFileSync(join(dir, 'c-small.json'), `{"Records":[${rec(3)}]}`);
    const store = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
    const r = await importPaths(store, [dir], { now: () => now, worker: true });
    assert.deepEqual([r.records, r.added, r.invalid], [20_001, 20_001, 0]);
    assert.deepEqual(
      r.problems.map((p) => p.path.slice(dir.length + 1)),
      ['b-bad.json'],
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
