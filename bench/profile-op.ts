// Role: `node --import tsx bench/profile-op.ts [op] [seconds]`: one startrail server (audit on) under --cpu-prof, one signed operation under load, then the profile's self time by module — the per-call budget.
// Env: NOPROF=1 (no profiler), AUDIT=off, RECORDS=N (records in the store before the load; 2000), DATA_DIR=D (keep the store there and reuse it).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset } from './lib/dataset.ts';
import { closeLoad, runLoad } from './lib/load.ts';
import { startStartrail } from './lib/procs.ts';
import { call, signJson, type TARGET } from './lib/sign.ts';

const OPS: Record<string, { service: keyof typeof TARGET; input: unknown }> = {
  DescribeProject: { service: 'codestar', input: { id: 'bench' } },
  DescribeTrails: { service: 'cloudtrail', input: {} },
  LookupEvents: { service: 'cloudtrail', input: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ec2.amazonaws.com' }], MaxResults: 50 } },
};
const op = process.argv[2] ?? 'DescribeProject';
const seconds = Number(process.argv[3] ?? 8);
const audit = process.env.AUDIT !== 'off';
const work = mkdtempSync(join(tmpdir(), 'startrail-prof-'));
const dataDir = process.env.DATA_DIR ?? join(work, 'data');
await buildDataset({ dataDir, count: Number(process.env.RECORDS ?? 2000) });
const profDir = join(work, 'prof');
const server = await startStartrail({
  dataDir,
  env: audit ? {} : { STARTRAIL_BENCH_AUDIT_OFF: '1' },
  nodeArgs: process.env.NOPROF ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir],
});
if (op === 'DescribeProject') await call(server, 'codestar', 'CreateProject', { name: 'bench', id: 'bench' });
const { service, input } = OPS[op]!;
const req = await signJson(server, server.root!, service, op, input);
/** the server's CPU time so far (user + system, all threads), µs: a per-call cost that machine load barely moves, unlike throughput */
const cpuUs = () => {
  const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
};
const load = (ms: number) => runLoad({ host: server.host, port: server.port, requests: [req], concurrency: 16, warmupMs: 0, durationMs: ms, client: 'raw' });
await load(1500); // warm-up: JIT, caches
const cpu0 = cpuUs();
const r = await load(seconds * 1000);
const cpuPerCall = (cpuUs() - cpu0) / (r.rps * seconds);
console.log(
  `${op} audit ${audit ? 'on' : 'off'}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, server CPU ${cpuPerCall.toFixed(0)} µs/call, errors ${r.errors} ${r.firstError ?? ''}`,
);
await server.stop();
await closeLoad();
if (process.env.NOPROF) process.exit(0);
const file = readdirSync(profDir).sort()[0]!;
const p = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
const byId = new Map(p.nodes.map((n: any) => [n.id, n]));
const deltas: number[] = p.timeDeltas;
const self = new Map<string, number>();
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inPipeline = (id: number | undefined): boolean => {
  for (; id !== undefined; id = parent.get(id)) if (((byId.get(id) as any).callFrame.url as string).includes('src/pipeline/index.ts')) return true;
  return false;
};
// the load window: from the first sample inside the pipeline (module loading and start-up before it are not per-call cost)
const from = p.samples.findIndex((id: number) => inPipeline(id));
let busy = 0;
const incl = new Map<string, number>();
p.samples.forEach((id: number, i: number) => {
  if (i < from) return;
  const n: any = byId.get(id);
  const u: string = n.callFrame.url || '';
  const f: string = n.callFrame.functionName;
  if (f === '(idle)') return;
  const k = u.includes('/kysely/')
    ? 'kysely'
    : u.includes('/src/')
      ? `${u.replace(/.*\/src\//, 'src/')} ${u.includes('group-commit') ? f : ''}`
      : u.includes('node_modules')
        ? u.replace(/.*node_modules\//, '').split('/')[0]!
        : u || `(${f})`;
  const d = deltas[i] ?? 0;
  busy += d;
  self.set(k, (self.get(k) ?? 0) + d);
  // inclusive: every distinct project function on the sample's stack
  const seen = new Set<string>();
  for (let a: number | undefined = id; a !== undefined; a = parent.get(a)) {
    const cf = (byId.get(a) as any).callFrame;
    if (!(cf.url as string).includes('/src/')) continue;
    const name = `${cf.functionName || '(anonymous)'} ${(cf.url as string).replace(/.*\/src\//, 'src/')}:${cf.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    incl.set(name, (incl.get(name) ?? 0) + d);
  }
});
console.log(
  `profile: ${(busy / 1e6).toFixed(2)} s busy in the load window; shares below are of that, µs scaled to the measured ${cpuPerCall.toFixed(0)} µs/call`,
);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 35))
  console.log(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${((us / busy) * cpuPerCall).toFixed(1).padStart(6)} µs  ${k}`);
console.log('project functions by inclusive time:');
for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 45)))
  console.log(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${((us / busy) * cpuPerCall).toFixed(1).padStart(6)} µs  ${k}`);
