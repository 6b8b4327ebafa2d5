/**
 * `startrail import PATH…`: loads CloudTrail log files, arrays or JSON Lines (gzipped or not;
 * directories walked) into Event history, with a progress bar on a terminal and a summary at the
 * end. Uses the same data dir / database as `serve` (flags beat environment); safe to run while the
 * server is up (SQLite WAL) and to repeat (records already stored are skipped).
 */
import type { Command } from 'commander';
import { importPaths, type ImportProgress } from '../audit/import/load.ts';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/open.ts';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('load existing CloudTrail data ({"Records":[…]} files, arrays, JSON Lines; .gz too) into Event history')
    .argument('<paths...>', 'files or directories')
    .option('--data-dir <dir>', 'data directory (STARTRAIL_DATA_DIR, ./.startrail)')
    .option('--database-url <url>', 'database (STARTRAIL_DATABASE_URL; unset = SQLite in the data dir)')
    .option('--no-progress', 'no progress bar')
    .action(async (paths: string[], opts: { dataDir?: string; databaseUrl?: string; progress: boolean }) => {
      const store = await openStore(loadConfig(opts, process.env), { bulk: true });
      const bar = opts.progress && process.stderr.isTTY ? progressBar(process.stderr) : undefined;
      try {
        const r = await importPaths(store, paths, { now: () => new Date(), onProgress: bar?.update });
        bar?.done();
        for (const p of r.problems) process.stderr.write(`skipped ${p.count > 1 ? `${p.count} records of ` : ''}${p.path}: ${p.message}\n`);
        process.stdout.write(
          `imported ${r.added} new records from ${r.files} files (${r.records} read, ${r.duplicates} already in history, ${r.invalid} not CloudTrail records)\n`,
        );
        if (r.problems.length) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

/** A one-line bar redrawn in place, at most ten times a second. */
function progressBar(out: NodeJS.WriteStream, width = 30) {
  const started = Date.now();
  let last = 0;
  let line = '';
  const render = (p: ImportProgress) => {
    const ratio = p.bytes ? p.bytesDone / p.bytes : p.files ? p.filesDone / p.files : 1;
    const filled = Math.round(ratio * width);
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${p.filesDone}/${p.files} files  ${p.records} records (${p.added} new)  ${secs}s`;
    out.write(`\r${line}`);
  };
  return {
    update(p: ImportProgress) {
      const now = Date.now();
      if (now - last < 100 && p.filesDone < p.files) return;
      last = now;
      render(p);
    },
    done() {
      if (line) out.write('\n');
    },
  };
}
