// Role: server control: starts startrail (as test/e2e/helpers/server.ts does) or the bare node:http reference in a child process, reads its peak RSS, stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ServerProc {
  host: string;
  port: number;
  endpoint: string;
  pid: number;
  /** root credentials (startrail only) */
  root?: Credentials;
  /** peak resident set size so far (VmHWM), MB, summed over the server's processes (the workers of `--workers N`) */
  peakRssMb(): number;
  /** current resident set size (VmRSS), MB, summed over the server's processes */
  rssMb(): number;
  /** the tail of what the server printed (its log) */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A field of /proc/<pid>/status in MB (Linux); NaN elsewhere. */
export function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function waitUp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output().slice(-3000)}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not come up: ${output().slice(-3000)}`);
}

/** The process and its children (the workers of `--workers N`), Linux. */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children];
  } catch {
    return [pid];
  }
}

function control(child: ChildProcess, port: number, output: () => string): Omit<ServerProc, 'root'> {
  const pid = child.pid!;
  // summed over the server's processes: with `--workers N` the primary's own figure is a small part
  const sum = (field: 'VmHWM' | 'VmRSS') => processTree(pid).reduce((a, p) => a + procStatusMb(p, field), 0);
  return {
    host: '127.0.0.1',
    port,
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    peakRssMb: () => sum('VmHWM'),
    rssMb: () => sum('VmRSS'),
    output: () => output().slice(-4000),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        process.stderr.write(`server ${pid} ignored SIGTERM; killing\n${output().slice(-1000)}\n`);
        child.kill('SIGKILL');
      }, 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function spawnNode(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 100_000) out = out.slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

export interface StartOptions {
  dataDir: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}

/** `node --import tsx src/cli/main.ts serve --port P --data-dir D`, with extra env (e.g. STARTRAIL_BENCH_AUDIT_OFF=1) and node flags (e.g. --cpu-prof). */
export async function startStartrail(opts: StartOptions): Promise<ServerProc> {
  const port = await freePort();
  const { child, output } = spawnNode(
    [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--data-dir', opts.dataDir],
    opts.env ?? {},
  );
  await waitUp(`http://127.0.0.1:${port}/health`, child, output);
  // with STARTRAIL_WORKERS=N, /health answers once the first worker listens: wait for all of them
  const workers = Number(opts.env?.STARTRAIL_WORKERS ?? 1);
  for (const deadline = Date.now() + 60_000; (output().match(/"startrail listening"/g) ?? []).length < workers; ) {
    if (Date.now() > deadline) throw new Error(`not every worker came up: ${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const file = join(opts.dataDir, 'credentials');
  if (!existsSync(file)) throw new Error(`no credentials file in ${opts.dataDir}`);
  const text = readFileSync(file, 'utf8');
  const accessKeyId = /aws_access_key_id\s*=\s*(\S+)/.exec(text)?.[1];
  const secretAccessKey = /aws_secret_access_key\s*=\s*(\S+)/.exec(text)?.[1];
  if (!accessKeyId || !secretAccessKey) throw new Error('credentials file has no default key');
  return { ...control(child, port, output), root: { accessKeyId, secretAccessKey } };
}

/** The reference: a bare node:http server answering `{}` to everything. */
export async function startBare(): Promise<ServerProc> {
  const port = await freePort();
  const { child, output } = spawnNode(['--import', 'tsx', BARE, String(port)], {});
  await waitUp(`http://127.0.0.1:${port}/health`, child, output);
  return control(child, port, output);
}
