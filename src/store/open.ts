/**
 * Opens the configured store: SQLite in the data dir by default, PostgreSQL for postgres:// URLs.
 * The master key that encrypts secrets at rest lives in <data-dir>/master.key (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartrailConfig } from '../config.ts';
import { openPostgresStore } from './postgres/open.ts';
import { SecretBox } from './secret-box.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store } from './types.ts';

function masterKey(dataDir: string): Buffer {
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export async function openStore(config: StartrailConfig): Promise<Store> {
  mkdirSync(config.dataDir, { recursive: true });
  const box = new SecretBox(masterKey(config.dataDir));
  const url = config.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, box, { ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
  if (url && !url.startsWith('sqlite:')) throw new Error(`unsupported database URL '${url.replace(/\/\/[^@]*@/, '//***@')}': use postgres://… or leave it unset for SQLite`);
  return openSqliteStore(url ? url.slice('sqlite:'.length) : join(config.dataDir, 'startrail.db'), box);
}

