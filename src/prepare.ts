/**
 * What a first start makes, before anything is served: the data dir, the master key and the migrated
 * schema (store/open.ts), the account, its root key and the credentials file. `start` (src/main.ts)
 * runs it in its process; a `--workers N` server runs it once in its primary before the workers start
 * (src/server/workers.ts), so they never race to make a root key. Kept apart from main.ts so that
 * the primary loads the store alone, not every service.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ensureAccount } from './accounts/provision.ts';
import type { StartrailConfig } from './config.ts';
import { randomIds } from './ids.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/types.ts';

/** Makes sure the account has a root key; on first start without one configured, generates one and writes a credentials file. */
export async function ensureRootKey(store: Store, config: StartrailConfig): Promise<string | undefined> {
  await ensureAccount(store, config.accountId, new Date());
  const ids = store.identities;
  if (config.rootAccessKeyId && config.rootSecretAccessKey) {
    const existing = await ids.getAccessKey(config.rootAccessKeyId);
    if (!existing)
      await ids.putAccessKey({
        accessKeyId: config.rootAccessKeyId,
        secretAccessKey: config.rootSecretAccessKey,
        userName: null,
        status: 'Active',
        createDate: new Date(),
      });
    else if (existing.userName !== null || existing.secretAccessKey !== config.rootSecretAccessKey)
      throw new Error('STARTRAIL_ROOT_ACCESS_KEY_ID is already in use with another secret or user');
    return undefined;
  }
  let key = (await ids.listAccessKeys(null))[0];
  if (!key) {
    key = {
      accessKeyId: randomIds.accessKeyId('AKIA'),
      secretAccessKey: randomIds.secretAccessKey(),
      userName: null,
      status: 'Active',
      createDate: new Date(),
    };
    await ids.putAccessKey(key);
  }
  const file = resolvePath(config.dataDir, 'credentials');
  // `startrail accounts create` may have made the file (with other accounts' profiles) before the first start
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!/^\[default\][ \t]*$/m.test(text)) {
    const profile = `[default]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
    // written aside and renamed over, so a crash never leaves the other profiles half written
    writeFileSync(`${file}.tmp`, text ? `${profile}\n${text}` : profile, { mode: 0o600 });
    chmodSync(`${file}.tmp`, 0o600);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

/**
 * What the first start makes, done once before the processes of `--workers N` start (src/server/workers.ts):
 * the data dir, the master key, the migrated schema, the account, its root key and the credentials file.
 */
export async function prepare(config: StartrailConfig): Promise<void> {
  const store = await openStore(config);
  try {
    await ensureRootKey(store, config);
  } finally {
    await store.close();
  }
}
