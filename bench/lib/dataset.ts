// Role: builds a startrail data dir holding N synthesised records, written straight into its SQLite database through the project's EventStore.append.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { storedEvent } from '../../src/audit/columns.ts';
import { KyselyStore } from '../../src/store/kysely-store.ts';
import { migrate } from '../../src/store/migrations/index.ts';
import { SecretBox } from '../../src/store/secret-box.ts';
import type { StoredEvent } from '../../src/store/types.ts';
import { loadTemplates, Synth } from './synth.ts';

/** Bump when the synthesis changes, so cached datasets are rebuilt. */
const DATASET_VERSION = 2;

export interface SampleEvent {
  eventId: string;
  eventTime: number;
  eventName: string | null;
  eventSource: string | null;
  readOnly: boolean | null;
  username: string | null;
  accessKeyId: string | null;
  resources: { type: string | null; name: string | null }[];
}
export interface Dataset {
  version: number;
  dataDir: string;
  count: number;
  buildSeconds: number;
  recordsPerSecond: number;
  dbMb: number;
  start: number;
  end: number;
  corpus: string;
  templates: number;
  /** evenly spaced records, for lookup values that exist */
  samples: SampleEvent[];
  reused?: boolean;
}

/** main.ts's master key format, so the server opens the same store. */
function masterKey(dataDir: string): Buffer {
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export interface BuildOptions {
  dataDir: string;
  count: number;
  seed?: number;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function buildDataset(o: BuildOptions): Promise<Dataset> {
  const manifest = join(o.dataDir, 'bench-dataset.json');
  if (existsSync(manifest)) {
    const d = JSON.parse(readFileSync(manifest, 'utf8')) as Dataset;
    if (d.version === DATASET_VERSION && d.count === o.count) return { ...d, dataDir: o.dataDir, reused: true };
  }
  mkdirSync(o.dataDir, { recursive: true });
  const file = join(o.dataDir, 'startrail.db');
  // As store/sqlite/open.ts, plus a larger page cache while filling (the server later opens it with its own settings).
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -262144');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db, 'sqlite');
  const store = new KyselyStore(db, new SecretBox(masterKey(o.dataDir)));
  const { templates, source } = loadTemplates();
  const synth = new Synth({ count: o.count, seed: o.seed ?? 42, days: 89, templates });
  const batchSize = o.batch ?? 5000;
  const every = Math.max(1, Math.floor(o.count / 64));
  const samples: SampleEvent[] = [];
  const t0 = performance.now();
  for (let i = 0; i < o.count; i += batchSize) {
    const batch: StoredEvent[] = [];
    for (let j = i; j < Math.min(o.count, i + batchSize); j++) {
      const r = synth.record(j);
      // in the server's own account's Event history, whatever accounts the synthesised records name (as `startrail import` files them)
      const e = { ...storedEvent(r, JSON.stringify(r)), accountId: null };
      batch.push(e);
      if (j % every === Math.floor(every / 2))
        samples.push({
          eventId: e.eventId,
          eventTime: e.eventTime.getTime(),
          eventName: e.eventName,
          eventSource: e.eventSource,
          readOnly: e.readOnly,
          username: e.username,
          accessKeyId: e.accessKeyId,
          resources: e.resources,
        });
    }
    await store.events.append(batch);
    o.onProgress?.(i + batch.length, o.count);
  }
  const buildSeconds = (performance.now() - t0) / 1000;
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await db.destroy();
  const d: Dataset = {
    version: DATASET_VERSION,
    dataDir: o.dataDir,
    count: o.count,
    buildSeconds,
    recordsPerSecond: o.count / buildSeconds,
    dbMb: statSync(file).size / 2 ** 20,
    start: synth.start,
    end: synth.end,
    corpus: source,
    templates: templates.length,
    samples,
  };
  writeFileSync(manifest, JSON.stringify(d));
  return d;
}
