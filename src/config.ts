/**
 * Configuration (README "Configuration"): flags beat environment variables beat defaults. Only main.ts and the
 * CLI read the environment.
 */
import { availableParallelism } from 'node:os';
export interface StartrailConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing); default the connection's search_path */
  databaseSchema?: string;
  /** base64 of the 32-byte key sealing secrets at rest; default <data-dir>/master.key (made on first start) */
  masterKey?: string;
  accountId: string;
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  deliveryInterval: number;
  digestInterval: number;
  /** ms between EventBridge rounds: CloudTrail records onto the buses, delivery retries, schedules (STARTRAIL_EVENTS_INTERVAL_MS) */
  eventsIntervalMs: number;
  /** ms between CloudTrail Lake rounds: records into event data stores, imports, queries (STARTRAIL_LAKE_INTERVAL_MS; docs/lake.md) */
  lakeIntervalMs: number;
  /** MB of heap a Lake query's worker may use before the query FAILS (STARTRAIL_LAKE_QUERY_MEMORY_MB; docs/lake.md#evaluation) */
  lakeQueryMemoryMb: number;
  /** ms between S3 server access log rounds (STARTRAIL_S3_ACCESS_LOG_INTERVAL_MS; docs/s3.md#server-access-logging) */
  s3AccessLogIntervalMs: number;
  /** an external S3-compatible service for trail buckets (README "Trails and delivery"); unset = the embedded store only */
  trailS3?: { endpoint: string; region: string; accessKeyId?: string; secretAccessKey?: string; buckets: string[] };
  maxBodyBytes: number;
  /** STARTRAIL_PUBLIC_URL: how clients reach this server; default http://<host>:<port> once listening */
  publicUrl?: string;
  trustedProxies: string[];
  /** bench-only: switch the audit trail off to measure its cost */
  auditDisabled: boolean;
  region: string;
  /** testing: shift the server's clock (seconds), e.g. to see session credentials expire */
  clockOffsetSeconds: number;
  /** seconds between CloudWatch alarm evaluation rounds (docs/cloudwatch.md#evaluation); 0 turns evaluation off */
  alarmsInterval: number;
  /** server processes on the port (`--workers`, STARTRAIL_WORKERS; `auto` = one per CPU): src/server/workers.ts */
  workers: number;
}

export interface ConfigFlags {
  port?: string | number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  workers?: string;
}

/** A lower bound: a query worker's heap below 256 MB cannot start, and far below it V8 aborts the whole process instead of stopping the worker. */
function atLeast(n: number, name: string, min: number): number {
  if (n < min) throw new Error(`${name} must be at least ${min}, got ${n}`);
  return n;
}

/** `--workers` / STARTRAIL_WORKERS: a count of at least 1, or `auto` for one per CPU. */
function workers(v: string | undefined): number {
  if (v === undefined || v === '') return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--workers must be a positive integer or 'auto', got '${v}'`);
  return n;
}

function int(v: string | number | undefined, name: string, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

function trailS3(env: NodeJS.ProcessEnv): Pick<StartrailConfig, 'trailS3'> {
  const endpoint = env.STARTRAIL_TRAIL_S3_ENDPOINT;
  if (!endpoint) return {};
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`STARTRAIL_TRAIL_S3_ENDPOINT must be an http(s) URL, got '${endpoint}'`);
  const id = env.STARTRAIL_TRAIL_S3_ACCESS_KEY_ID;
  const secret = env.STARTRAIL_TRAIL_S3_SECRET_ACCESS_KEY;
  if (!!id !== !!secret) throw new Error('STARTRAIL_TRAIL_S3_ACCESS_KEY_ID and STARTRAIL_TRAIL_S3_SECRET_ACCESS_KEY must be set together');
  const buckets = (env.STARTRAIL_TRAIL_S3_BUCKETS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    trailS3: { endpoint, region: env.STARTRAIL_TRAIL_S3_REGION || 'us-east-1', ...(id && secret ? { accessKeyId: id, secretAccessKey: secret } : {}), buckets },
  };
}

export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): StartrailConfig {
  const accountId = env.STARTRAIL_ACCOUNT_ID ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new Error(`STARTRAIL_ACCOUNT_ID must be 12 digits, got '${accountId}'`);
  const rootId = env.STARTRAIL_ROOT_ACCESS_KEY_ID;
  const rootSecret = env.STARTRAIL_ROOT_SECRET_ACCESS_KEY;
  if (!!rootId !== !!rootSecret) throw new Error('STARTRAIL_ROOT_ACCESS_KEY_ID and STARTRAIL_ROOT_SECRET_ACCESS_KEY must be set together');
  return {
    port: int(flags.port ?? env.STARTRAIL_PORT, 'port', 4600),
    host: flags.host ?? env.STARTRAIL_HOST ?? '127.0.0.1',
    dataDir: flags.dataDir ?? env.STARTRAIL_DATA_DIR ?? './.startrail',
    databaseUrl: flags.databaseUrl ?? env.STARTRAIL_DATABASE_URL ?? undefined,
    databaseSchema: env.STARTRAIL_DATABASE_SCHEMA || undefined,
    ...(env.STARTRAIL_MASTER_KEY ? { masterKey: env.STARTRAIL_MASTER_KEY } : {}),
    accountId,
    rootAccessKeyId: rootId,
    rootSecretAccessKey: rootSecret,
    deliveryInterval: int(env.STARTRAIL_DELIVERY_INTERVAL, 'STARTRAIL_DELIVERY_INTERVAL', 60),
    digestInterval: int(env.STARTRAIL_DIGEST_INTERVAL, 'STARTRAIL_DIGEST_INTERVAL', 3600),
    eventsIntervalMs: int(env.STARTRAIL_EVENTS_INTERVAL_MS, 'STARTRAIL_EVENTS_INTERVAL_MS', 100),
    lakeIntervalMs: int(env.STARTRAIL_LAKE_INTERVAL_MS, 'STARTRAIL_LAKE_INTERVAL_MS', 200),
    s3AccessLogIntervalMs: int(env.STARTRAIL_S3_ACCESS_LOG_INTERVAL_MS, 'STARTRAIL_S3_ACCESS_LOG_INTERVAL_MS', 5000),
    lakeQueryMemoryMb: atLeast(int(env.STARTRAIL_LAKE_QUERY_MEMORY_MB, 'STARTRAIL_LAKE_QUERY_MEMORY_MB', 2048), 'STARTRAIL_LAKE_QUERY_MEMORY_MB', 256),
    ...trailS3(env),
    ...(env.STARTRAIL_PUBLIC_URL ? { publicUrl: env.STARTRAIL_PUBLIC_URL.replace(/\/+$/, '') } : {}),
    maxBodyBytes: int(env.STARTRAIL_MAX_BODY_BYTES, 'STARTRAIL_MAX_BODY_BYTES', 1024 * 1024),
    trustedProxies: (env.STARTRAIL_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    auditDisabled: env.STARTRAIL_BENCH_AUDIT_OFF === '1',
    region: env.STARTRAIL_REGION ?? 'us-east-1',
    clockOffsetSeconds: Number(env.STARTRAIL_CLOCK_OFFSET_SECONDS ?? 0) || 0,
    alarmsInterval: int(env.STARTRAIL_ALARMS_INTERVAL, 'STARTRAIL_ALARMS_INTERVAL', 60),
    workers: workers(flags.workers ?? env.STARTRAIL_WORKERS),
  };
}
