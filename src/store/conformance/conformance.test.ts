/**
 * The store conformance suite (conformance/index.ts) on both backends: SQLite in memory, and
 * PostgreSQL at TEST_DATABASE_URL with a fresh schema per test (store/testing.ts).
 */
import { BACKENDS, openTestStore } from '../testing.ts';
import { runStoreConformance } from './index.ts';

for (const backend of BACKENDS) {
  runStoreConformance(backend, () => openTestStore(backend, { schemaPrefix: 'conf' }), { concurrency: backend === 'postgres' ? 4 : 1 });
}
