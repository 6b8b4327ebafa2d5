/**
 * The one place tests find their database: every test that opens a store — the conformance suite,
 * the backend-specific store tests, the unit tests of other modules and the end-to-end helpers —
 * takes the PostgreSQL URL and the fresh schema names from here.
 *
 * STARTRAIL_TEST_DATABASE_URL overrides the default: the local server's `test` database with trust
 * auth (README "Tests"). Each PostgreSQL store a test opens lives in a schema of its own, dropped
 * when the store closes, so runs side by side never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema, openPostgresStore } from './postgres/open.ts';
import { SecretBox } from './secret-box.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { KyselyStore } from './kysely-store.ts';

export const TEST_DATABASE_URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

let schemas = 0;
/** A schema name no other test run uses: `<prefix>_<pid>_<time>_<n>`. */
export function testSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
}

export interface TestStoreOptions {
  /** default: a fresh random key */
  box?: SecretBox;
  /** PostgreSQL pool size (default 2) */
  maxConnections?: number;
  /** PostgreSQL: use this schema (it is still dropped at close); default testSchema(schemaPrefix) */
  schema?: string;
  /** default 'store' */
  schemaPrefix?: string;
}

/**
 * A fresh, empty store on `backend`: SQLite in memory, or PostgreSQL in a new schema of
 * TEST_DATABASE_URL. Closing it drops that schema.
 */
export async function openTestStore(backend: Backend, opts: TestStoreOptions = {}): Promise<KyselyStore> {
  const box = opts.box ?? new SecretBox(randomBytes(32));
  if (backend === 'sqlite') return openSqliteStore(':memory:', box);
  const schema = opts.schema ?? testSchema(opts.schemaPrefix ?? 'store');
  const store = await openPostgresStore(TEST_DATABASE_URL, box, { schema, maxConnections: opts.maxConnections ?? 2 });
  const close = store.close.bind(store);
  store.close = async () => {
    try {
      await close();
    } finally {
      await dropSchema(TEST_DATABASE_URL, schema);
    }
  };
  return store;
}
