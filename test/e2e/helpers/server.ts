/**
 * Starts startrail exactly as the README says (`npm start`, i.e. the CLI's `serve`), in a child
 * process on a free port with a fresh data dir, and reads the generated root credentials file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DATABASE_URL } from '../../../src/store/testing.ts';

/** The PostgreSQL database of every test (one definition: src/store/testing.ts). */
export { TEST_DATABASE_URL };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestServer {
  endpoint: string;
  port: number;
  dataDir: string;
  root: Credentials;
  credentialsFile: string;
  /** the environment the server was started with (backend included): for CLI tools on the same database */
  env: Record<string, string>;
  /** stops the process; the data dir is kept so `restart` can reopen it */
  stop(): Promise<void>;
  /** stops and starts again on the same port and data dir */
  restart(): Promise<void>;
  /** kills the process with SIGKILL (no shutdown at all); `restart` starts it again */
  kill(): Promise<void>;
  /** stops and deletes the data dir */
  dispose(): Promise<void>;
  /** another node on the same data dir and database, with extra environment (e.g. a shifted clock) */
  startSibling(extraEnv: Record<string, string>): Promise<Sibling>;
  /** the process id of the running server */
  pid(): number | undefined;
}

export interface Sibling {
  endpoint: string;
  pid: number | undefined;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export const PROJECT_ROOT = new URL('../../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHealthy(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`startrail exited with ${child.exitCode}: ${output()}`);
    try {
      const r = await fetch(`${endpoint}/health`);
      if (r.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`startrail did not become healthy: ${output()}`);
}

function parseCredentialsFile(text: string): Credentials {
  const id = /aws_access_key_id\s*=\s*(\S+)/.exec(text)?.[1];
  const secret = /aws_secret_access_key\s*=\s*(\S+)/.exec(text)?.[1];
  if (!id || !secret) throw new Error('credentials file has no default key');
  return { accessKeyId: id, secretAccessKey: secret };
}

/**
 * With STARTRAIL_E2E_BACKEND=postgres the suite runs against PostgreSQL instead of SQLite: each server
 * gets its own schema in TEST_DATABASE_URL (src/store/testing.ts: STARTRAIL_TEST_DATABASE_URL, default
 * the local server's `test` database).
 */
function backendEnv(dataDir: string): Record<string, string> {
  if (process.env.STARTRAIL_E2E_BACKEND !== 'postgres') return {};
  const url = TEST_DATABASE_URL;
  const schema = `e2e_${dataDir
    .replace(/[^a-z0-9]/gi, '')
    .slice(-12)
    .toLowerCase()}_${process.pid}`;
  return { STARTRAIL_DATABASE_URL: url, STARTRAIL_DATABASE_SCHEMA: schema };
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'startrail-e2e-'));
  env = { ...backendEnv(dataDir), ...env };
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const node = async (p: number, extra: Record<string, string>) => {
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(p), '--data-dir', dataDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    await waitHealthy(`http://127.0.0.1:${p}`, child, () => out);
    return {
      child,
      async kill() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      },
    };
  };
  let main = await node(port, {});
  const stop = () => main.stop();
  const launch = async () => {
    main = await node(port, {});
  };
  const credentialsFile = join(dataDir, 'credentials');
  const root = parseCredentialsFile(readFileSync(credentialsFile, 'utf8'));
  return {
    endpoint,
    port,
    dataDir,
    root,
    credentialsFile,
    env,
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async kill() {
      await main.kill();
    },
    pid: () => main.child.pid,
    async startSibling(extra) {
      const p = await freePort();
      const n = await node(p, extra);
      return { endpoint: `http://127.0.0.1:${p}`, pid: n.child.pid, stop: n.stop, kill: n.kill };
    },
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (env.STARTRAIL_DATABASE_SCHEMA) {
        const { dropSchema } = await import('../../../src/store/postgres/open.ts');
        await dropSchema(env.STARTRAIL_DATABASE_URL!, env.STARTRAIL_DATABASE_SCHEMA);
      }
    },
  };
}
