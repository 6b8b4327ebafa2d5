// Role: `node --import tsx bench/sqlite-journal.ts [records]`: what SQLite's statement journal costs the audited insert, and what memory journals cost a bulk delete (docs/performance.md#statement-journals).
// Part 1 inserts audit-like records into a copy of a bench data set, with the group commit's pattern
// (BEGIN IMMEDIATE, a SAVEPOINT per call, 12 calls per COMMIT), once with SQLite's default temp files and
// once with `temp_store = memory`, and prints CPU per record for the inserts and the COMMITs. Part 2
// deletes 500,000 rows of 300 bytes inside one savepoint, as a DeleteLogGroup or PurgeQueue call would,
// and prints the process's RSS before and after.
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset } from './lib/dataset.ts';

const records = Number(process.argv[2] ?? 12_000);
const work = mkdtempSync(join(tmpdir(), 'startrail-journal-'));
const dataDir = join(work, 'data');
await buildDataset({ dataDir, count: 2000 });

function open(file: string, memory: boolean): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  if (memory) db.pragma('temp_store = memory');
  return db;
}

for (const memory of [false, true]) {
  const file = join(work, `insert-${memory}.db`);
  copyFileSync(join(dataDir, 'startrail.db'), file);
  const db = open(file, memory);
  const sample = db.prepare('select * from events limit 1').get() as Record<string, unknown>;
  const cols = Object.keys(sample).filter((c) => c !== 'seq');
  const insert = db.prepare(
    `insert into events (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) on conflict (content_key) do nothing returning seq`,
  );
  const resource = db.prepare('insert into event_resources (seq, pos, event_time, resource_type, resource_name) values (?, ?, ?, ?, ?)');
  const value = (c: string, n: number) =>
    c === 'content_key' ? `bench-${n}` : c === 'event_id' ? crypto.randomUUID() : c === 'event_time' || c === 'added_at' ? Date.now() + n : sample[c];
  let inserting = 0;
  let committing = 0;
  for (let n = 0; n < records; ) {
    let t = process.cpuUsage();
    db.exec('begin immediate');
    for (let m = 0; m < 12; m++, n++) {
      db.exec('savepoint member');
      const row = insert.get(...cols.map((c) => value(c, n))) as { seq: number };
      resource.run(row.seq, 0, Date.now(), 'AWS::CloudTrail::Trail', `arn:aws:cloudtrail:us-east-1:000000000000:trail/t${n}`);
      db.exec('release member');
    }
    const i = process.cpuUsage(t);
    inserting += i.user + i.system;
    t = process.cpuUsage();
    db.exec('commit');
    const c = process.cpuUsage(t);
    committing += c.user + c.system;
  }
  console.log(
    `insert, statement journal in ${memory ? 'memory    ' : 'temp files'}: ${(inserting / records).toFixed(1)} µs CPU per record, COMMIT ${(committing / records).toFixed(1)} µs per record (${records} records, 12 per COMMIT)`,
  );
  db.close();
}

for (const memory of [false, true]) {
  const file = join(work, `delete-${memory}.db`);
  const db = open(file, false);
  db.exec('create table m (seq integer primary key, q text, body text, t integer); create index m_q on m (q, t, seq);');
  const insert = db.prepare('insert into m (q, body, t) values (?, ?, ?)');
  db.exec('begin');
  for (let i = 0; i < 500_000; i++) insert.run('queue', 'x'.repeat(300), i);
  db.exec('commit');
  db.pragma('wal_checkpoint(TRUNCATE)');
  if (memory) db.pragma('temp_store = memory');
  const before = process.memoryUsage().rss;
  db.exec('begin immediate');
  db.exec('savepoint member');
  db.prepare("delete from m where q = 'queue'").run();
  const after = process.memoryUsage().rss;
  db.exec('release member');
  db.exec('commit');
  console.log(
    `delete of 500,000 rows in a savepoint, statement journal in ${memory ? 'memory    ' : 'temp files'}: RSS ${(before / 1e6).toFixed(0)} -> ${(after / 1e6).toFixed(0)} MB`,
  );
  db.close();
}
rmSync(work, { recursive: true, force: true });
