// Role: parent side of load generation: keeps one loadgen.ts process (a separate process from harness and server), sends it LoadSpecs, returns its LoadResults.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './loadgen.ts';

export type { LoadResult, LoadSpec, WireRequest } from './loadgen.ts';

const LOADGEN = fileURLToPath(new URL('./loadgen.ts', import.meta.url));

let child: ChildProcessWithoutNullStreams | undefined;
let waiting: { resolve: (r: LoadResult) => void; reject: (e: Error) => void } | undefined;
let stderr = '';

function generator(): ChildProcessWithoutNullStreams {
  if (child) return child;
  const c = spawn(process.execPath, ['--import', 'tsx', LOADGEN], { stdio: ['pipe', 'pipe', 'pipe'] });
  c.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  createInterface({ input: c.stdout }).on('line', (line) => {
    const w = waiting;
    waiting = undefined;
    try {
      w?.resolve(JSON.parse(line) as LoadResult);
    } catch {
      w?.reject(new Error(`load generator printed: ${line}`));
    }
  });
  c.on('exit', (code) => {
    child = undefined;
    waiting?.reject(new Error(`load generator exited with ${code}: ${stderr}`));
    waiting = undefined;
  });
  child = c;
  return c;
}

/** Runs one load (runs are sequential: the generator has the machine's attention to itself). */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (waiting) return Promise.reject(new Error('runLoad: a run is already in progress'));
  return new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    generator().stdin.write(JSON.stringify(spec) + '\n');
  });
}

/** Ends the generator process (at the end of a bench run). */
export function closeLoad(): Promise<void> {
  const c = child;
  if (!c) return Promise.resolve();
  return new Promise((r) => {
    c.once('exit', () => r());
    c.stdin.end();
  });
}
