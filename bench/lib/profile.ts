// Role: summarises V8 .cpuprofile files (from `node --cpu-prof`): the hottest functions by self time, and by inclusive time for project code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './procs.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}
export interface HotFunction {
  name: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  // tsx-compiled project files report no useful line numbers: name the file only.
  const where = !url
    ? '(native)'
    : url.startsWith(PROJECT_ROOT) && !url.includes('/node_modules/')
      ? relative(PROJECT_ROOT, url)
      : `${url.replace(/^.*node_modules\//, 'node_modules/')}:${n.callFrame.lineNumber + 1}`;
  return { name: n.callFrame.functionName || '(anonymous)', where };
};

function hottest(file: string, top = 15): { self: HotFunction[]; projectTotal: HotFunction[]; samples: number } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfCount = new Map<number, number>();
  for (const [i, id] of p.samples.entries()) selfCount.set(id, (selfCount.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  let all = 0;
  for (const [id, t] of selfCount) if (byId.get(id)!.callFrame.functionName !== '(idle)') all += t;
  const self = new Map<string, { f: ReturnType<typeof label>; t: number }>();
  const total = new Map<string, { f: ReturnType<typeof label>; t: number }>();
  for (const [id, t] of selfCount) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const f = label(n);
    const k = `${f.name}@${f.where}`;
    self.set(k, { f, t: (self.get(k)?.t ?? 0) + t });
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const g = label(byId.get(cur)!);
      const gk = `${g.name}@${g.where}`;
      if (seen.has(gk) || g.where.startsWith('node_modules') || !/^(src|bench)\//.test(g.where)) continue;
      seen.add(gk);
      total.set(gk, { f: g, t: (total.get(gk)?.t ?? 0) + t });
    }
  }
  const pct = (t: number) => Math.round((1000 * t) / all) / 10;
  const list = (m: typeof self) =>
    [...m.values()]
      .sort((a, b) => b.t - a.t)
      .slice(0, top)
      .map(({ f, t }) => ({
        name: f.name,
        where: f.where,
        selfPct: pct(self.get(`${f.name}@${f.where}`)?.t ?? 0),
        totalPct: pct(total.get(`${f.name}@${f.where}`)?.t ?? t),
      }));
  return { self: list(self), projectTotal: list(total), samples: p.samples.length };
}

export function newestProfile(dir: string): string | undefined {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader thread has its own)
  const files = readdirSync(dir)
    .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort();
  return files.length ? join(dir, files[files.length - 1]!) : undefined;
}

export function printHottest(file: string, top = 15): ReturnType<typeof hottest> {
  const h = hottest(file, top);
  console.log(`\nCPU profile ${file} (${h.samples} samples)\n  self%  total%  function  (where)`);
  for (const f of h.self) console.log(`  ${f.selfPct.toFixed(1).padStart(5)}  ${f.totalPct.toFixed(1).padStart(6)}  ${f.name}  (${f.where})`);
  console.log('  project code by inclusive time:');
  for (const f of h.projectTotal) console.log(`  ${f.selfPct.toFixed(1).padStart(5)}  ${f.totalPct.toFixed(1).padStart(6)}  ${f.name}  (${f.where})`);
  return h;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of process.argv.slice(2)) printHottest(f, 25);
}
