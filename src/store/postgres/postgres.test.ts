/** The store conformance suite against PostgreSQL (STARTRAIL_TEST_DATABASE_URL, default the local server's `test` database), one schema per test. */
import { randomBytes } from 'node:crypto';
import { runStoreConformance } from '../conformance/index.ts';
import { SecretBox } from '../secret-box.ts';
import { dropSchema, openPostgresStore } from './open.ts';

export const TEST_DATABASE_URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let n = 0;
runStoreConformance('postgres', async () => {
  const schema = `conf_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const store = await openPostgresStore(TEST_DATABASE_URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
  const close = store.close.bind(store);
  store.close = async () => { await close(); await dropSchema(TEST_DATABASE_URL, schema); };
  return store;
});
