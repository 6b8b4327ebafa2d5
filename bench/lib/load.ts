// Role: parent side of load generation: spawns loadgen.ts in its own process, feeds it a LoadSpec and returns its LoadResult.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './loadgen.ts';

export type { LoadResult, LoadSpec, WireRequest } from './loadgen.ts';

const LOADGEN = fileURLToPath(new URL('./loadgen.ts', import.meta.url));

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOADGEN], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}: ${err.slice(-2000)}`));
      try { resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult); } catch (e) { reject(new Error(`load generator printed no result: ${out}${err}`)); }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}
