// Role: case 3, import: records per second of `startrail import FILE…` (src/cli/import.ts) over generated gzipped {"Records":[…]} files.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Ctx } from '../lib/context.ts';
import { TARGETS } from '../lib/context.ts';
import { PROJECT_ROOT, procStatusMb } from '../lib/procs.ts';
import { loadTemplates, Synth } from '../lib/synth.ts';

const PER_FILE = 2000;

/** Gzipped CloudTrail log files of PER_FILE records each, as trails deliver them. */
function writeFiles(dir: string, count: number): { files: string[]; mb: number } {
  const { templates } = loadTemplates();
  const synth = new Synth({ count, seed: 7, days: 89, templates });
  const files: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i += PER_FILE) {
    const texts: string[] = [];
    for (let j = i; j < Math.min(count, i + PER_FILE); j++) texts.push(JSON.stringify(synth.record(j)));
    const file = join(dir, `000000000000_CloudTrail_us-east-1_${String(i / PER_FILE).padStart(6, '0')}.json.gz`);
    writeFileSync(file, gzipSync(`{"Records":[${texts.join(',')}]}`));
    bytes += statSync(file).size;
    files.push(file);
  }
  return { files, mb: bytes / 2 ** 20 };
}

/** Runs the import command; wall time, its output, and its peak RSS (polled). */
function runImport(dataDir: string, paths: string[], profileDir?: string): Promise<{ seconds: number; out: string; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = [
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      '--import',
      'tsx',
      'src/cli/main.ts',
      'import',
      '--data-dir',
      dataDir,
      '--no-progress',
      ...paths,
    ];
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let peak = 0;
    const poll = setInterval(() => {
      const v = procStatusMb(child.pid!, 'VmHWM');
      if (v > peak) peak = v;
    }, 100);
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`import exited with ${code}: ${out.slice(-2000)}`));
      else resolve({ seconds, out: out.trim(), peakRssMb: peak });
    });
  });
}

export async function importCase(ctx: Ctx): Promise<void> {
  const { report, log } = ctx;
  const dir = mkdtempSync(join(ctx.workDir, 'import-'));
  try {
    const filesDir = join(dir, 'logs');
    mkdirSync(filesDir);
    const { files, mb } = writeFiles(filesDir, ctx.importRecords);
    log(`import: ${ctx.importRecords.toLocaleString('en-US')} records in ${files.length} gzipped files (${mb.toFixed(1)} MB)`);
    // Start-up cost of the command (node + tsx + opening the store), to tell it apart from the import itself.
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '{"Records":[]}');
    const idle = await runImport(join(dir, 'data-startup'), [empty]);
    const first = await runImport(join(dir, 'data'), [filesDir], ctx.profileDir ? join(ctx.profileDir, 'import') : undefined);
    const added = Number(/imported (\d+) new records/.exec(first.out)?.[1] ?? NaN);
    if (added !== ctx.importRecords) throw new Error(`import added ${added} records, expected ${ctx.importRecords}: ${first.out.slice(-500)}`);
    const rate = ctx.importRecords / first.seconds;
    const net = ctx.importRecords / Math.max(0.001, first.seconds - idle.seconds);
    log(`import: ${first.seconds.toFixed(1)} s wall (${rate.toFixed(0)} records/s; start-up ${idle.seconds.toFixed(1)} s)`);
    report.add({
      case: 'import',
      metric: 'records/s (wall, new records)',
      value: rate,
      unit: 'records/s',
      target: TARGETS.importRate,
      note: `${ctx.importRecords.toLocaleString('en-US')} records, ${files.length} .json.gz files, ${first.seconds.toFixed(1)} s; ${net.toFixed(0)}/s without the ${idle.seconds.toFixed(1)} s start-up`,
    });
    report.add({ case: 'import', metric: 'import peak RSS', value: first.peakRssMb, unit: 'MB' });
    const details: Record<string, unknown> = {
      records: ctx.importRecords,
      files: files.length,
      gzMb: mb,
      startupSeconds: idle.seconds,
      first: { ...first, recordsPerSecond: rate, withoutStartup: net },
    };
    if (!ctx.quick) {
      // The same files again: every record is already in history and skipped.
      const again = await runImport(join(dir, 'data'), [filesDir]);
      const rateAgain = ctx.importRecords / again.seconds;
      log(`import: again (all duplicates) ${again.seconds.toFixed(1)} s (${rateAgain.toFixed(0)} records/s)`);
      report.add({
        case: 'import',
        metric: 'records/s (wall, all already stored)',
        value: rateAgain,
        unit: 'records/s',
        note: `re-import of the same files, ${again.seconds.toFixed(1)} s`,
      });
      details.again = { ...again, recordsPerSecond: rateAgain };
    }
    report.detail('import', details);
  } finally {
    if (!ctx.keepData) rmSync(dir, { recursive: true, force: true });
  }
}
