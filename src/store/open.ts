/**
 * Opens the configured store: SQLite in the data dir by default, PostgreSQL for postgres:// URLs.
 * The master key that encrypts secrets at rest is STARTRAIL_MASTER_KEY, or <data-dir>/master.key
 * (mode 0600, made on first start). The database remembers which key sealed its secrets, so a node
 * started with another key (a second machine that made its own) refuses to start, saying why,
 * instead of failing every call it cannot decrypt a secret for.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartrailConfig } from '../config.ts';
import { openPostgresStore } from './postgres/open.ts';
import { SecretBox } from './secret-box.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store } from './types.ts';

function masterKey(config: StartrailConfig): Buffer {
  if (config.masterKey) {
    const key = Buffer.from(config.masterKey, 'base64');
    if (key.length !== 32) throw new Error('STARTRAIL_MASTER_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
    return key;
  }
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** `bulk`: the caller writes large batches back to back (`startrail import`; sqlite/open.ts). */
export async function openStore(config: StartrailConfig, opts: { bulk?: boolean } = {}): Promise<Store> {
  mkdirSync(config.dataDir, { recursive: true });
  const box = new SecretBox(masterKey(config));
  const url = config.databaseUrl;
  if (url && !/^postgres(ql)?:\/\//.test(url) && !url.startsWith('sqlite:'))
    throw new Error(`unsupported database URL '${url.replace(/\/\/[^@]*@/, '//***@')}': use postgres://… or leave it unset for SQLite`);
  const store =
    url && !url.startsWith('sqlite:')
      ? await openPostgresStore(url, box, { accountId: config.accountId, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
      : await openSqliteStore(url ? url.slice('sqlite:'.length) : join(config.dataDir, 'startrail.db'), box, {
          bulk: opts.bulk ?? false,
          accountId: config.accountId,
        });
  try {
    await checkMasterKey(store, box);
  } catch (e) {
    await store.close();
    throw new Error(`${(e as Error).message} (this node's key: ${config.masterKey ? 'STARTRAIL_MASTER_KEY' : join(config.dataDir, 'master.key')})`);
  }
  return store;
}

const KEY_CHECK = 'master-key-check';
const KEY_CHECK_TEXT = 'startrail master key';

/** The first node to open the database seals a known text; every node after must open it. */
async function checkMasterKey(store: Store, box: SecretBox): Promise<void> {
  if ((await store.kv.get(KEY_CHECK)) === undefined) await store.kv.put(KEY_CHECK, box.seal(KEY_CHECK_TEXT));
  const sealed = (await store.kv.get(KEY_CHECK))!;
  let plain: string | undefined;
  try {
    plain = box.open(sealed);
  } catch {
    /* another key */
  }
  if (plain !== KEY_CHECK_TEXT) {
    throw new Error(
      "the master key is not the one this database's secrets are sealed with: give every node the same key (copy master.key from the first node's data dir, or set STARTRAIL_MASTER_KEY on each)",
    );
  }
}
