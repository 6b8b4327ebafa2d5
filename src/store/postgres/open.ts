/**
 * Opens the PostgreSQL store (node-postgres pool under Kysely) and applies migrations under an
 * advisory lock, so several startrail nodes starting together on one schema migrate once; the lock
 * is keyed per schema (as the append and lease locks are), so installations sharing a database
 * don't wait on each other. int8 columns come back
 * as numbers: every bigint we store (epoch ms, sequence numbers) is below 2^53.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { KyselyStore } from '../kysely-store.ts';
import { DEFAULT_ACCOUNT_ID, migrate, MIGRATIONS } from '../migrations/index.ts';
import { AdvisoryLeases } from './leases.ts';
import { textSafePool } from './text.ts';
import type { DB } from '../schema.ts';
import type { SecretBox } from '../secret-box.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** The migration lock's key: per schema. */
const MIGRATION_LOCK = sql`hashtext(current_schema() || '.migrations')`;

export interface PostgresOptions {
  /** Use (and create) this schema instead of `public`: tests give each run its own. */
  schema?: string;
  maxConnections?: number;
  /** the configured account: the store's default view, and the owner of rows made before accounts (migrations/018-accounts.ts) */
  accountId?: string;
}

export async function openPostgresStore(url: string, box: SecretBox, opts: PostgresOptions = {}): Promise<KyselyStore> {
  if (opts.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) throw new Error(`invalid schema name '${opts.schema}'`);
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // nodes starting together race on IF NOT EXISTS: the loser's duplicate error means the schema is there
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).catch((e: { code?: string }) => {
        if (e.code !== '23505' && e.code !== '42P06') throw e;
      });
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10, ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}) });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: textSafePool(pool) }) });
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID;
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await migrate(conn, 'postgres', MIGRATIONS, { accountId });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  // connects only when this node first claims a trail (CLI tools and tests that never deliver don't)
  const leases = new AdvisoryLeases(url, opts.schema);
  return new KyselyStore(
    db,
    box,
    async () => {
      await leases.close();
      await db.destroy();
    },
    false,
    leases,
    accountId,
  );
}

/** Drops a schema made by openPostgresStore for a test. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
