// Role: `node --import tsx bench/sqlite-journal.ts [records]`: what SQLite's statement journal costs the audited insert, and what memory journals cost a bulk delete (docs/performance.md#statement-journals).
// Part 1 inserts audit-like records into a copy of a bench data set, with the group commit's pattern
// (BEGIN IMMEDIATE, a SAVEPOINT per call, 12 calls per COMMIT): each record in its call's savepoint, with
// SQLite's default temp files and with `temp_store = memory`; then the group's 12 records in one statement
// per table before the COMMIT, as an upsert and as INSERT OR IGNORE (what the server does:
// docs/performance.md#audit-at-commit). It prints CPU per record for the inserts and the COMMITs. Part 2
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

const MODES = ['savepoint, temp files', 'savepoint, memory', 'at COMMIT, upsert', 'at COMMIT, or ignore'] as const;
for (const mode of MODES) {
  const atCommit = mode.startsWith('at COMMIT');
  const orIgnore = mode === 'at COMMIT, or ignore' ? 'or ignore ' : '';
  const file = join(work, `insert-${mode.replace(/\W+/g, '-')}.db`);
  copyFileSync(join(dataDir, 'startrail.db'), file);
  const db = open(file, mode === 'savepoint, memory');
  const sample = db.prepare('select * from events limit 1').get() as Record<string, unknown>;
  const cols = Object.keys(sample).filter((c) => c !== 'seq');
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  const insertMany = (rows: number) =>
    db.prepare(
      `insert ${orIgnore}into events (${cols.join(', ')}) values ${Array(rows).fill(tuple).join(', ')} ${orIgnore ? '' : 'on conflict (content_key) do nothing'} returning seq`,
    );
  const insert = insertMany(1);
  const insert12 = insertMany(12);
  const resource = db.prepare('insert into event_resources (seq, pos, event_time, resource_type, resource_name) values (?, ?, ?, ?, ?)');
  const resources12 = db.prepare(
    `insert ${orIgnore}into event_resources (seq, pos, event_time, resource_type, resource_name) values ${Array(12).fill('(?, ?, ?, ?, ?)').join(', ')}`,
  );
  const value = (c: string, n: number) =>
    c === 'content_key' ? `bench-${n}` : c === 'event_id' ? crypto.randomUUID() : c === 'event_time' || c === 'added_at' ? Date.now() + n : sample[c];
  const trail = (n: number) => `arn:aws:cloudtrail:us-east-1:000000000000:trail/t${n}`;
  let inserting = 0;
  let committing = 0;
  for (let n = 0; n < records; ) {
    let t = process.cpuUsage();
    db.exec('begin immediate');
    if (atCommit) {
      // each call's savepoint holds only its own changes; the group's records go in one statement before the COMMIT
      const params: unknown[] = [];
      for (let m = 0; m < 12; m++, n++) {
        db.exec('savepoint member');
        db.exec('release member');
        for (const c of cols) params.push(value(c, n));
      }
      const seqs = insert12.all(...params) as { seq: number }[];
      resources12.run(...seqs.flatMap((r, m) => [r.seq, 0, Date.now(), 'AWS::CloudTrail::Trail', trail(n - 12 + m)]));
    } else {
      for (let m = 0; m < 12; m++, n++) {
        db.exec('savepoint member');
        const row = insert.get(...cols.map((c) => value(c, n))) as { seq: number };
        resource.run(row.seq, 0, Date.now(), 'AWS::CloudTrail::Trail', trail(n));
        db.exec('release member');
      }
    }
    const i = process.cpuUsage(t);
    inserting += i.user + i.system;
    t = process.cpuUsage();
    db.exec('commit');
    const c = process.cpuUsage(t);
    committing += c.user + c.system;
  }
  console.log(
    `insert, ${mode.padEnd(21)}: ${(inserting / records).toFixed(1)} µs CPU per record, COMMIT ${(committing / records).toFixed(1)} µs per record (${records} records, 12 per COMMIT)`,
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
