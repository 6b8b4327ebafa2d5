#!/usr/bin/env node
// Runs every test with node's own test runner, in three runs: (1) unit tests beside the code
// (src/**/*.test.ts: in-process, SQLite in memory and PostgreSQL schemas of their own), two files at
// a time; (2) end-to-end tests with the official clients (test/**/*.test.ts) on the default SQLite
// store, one file at a time; (3) the end-to-end tests again on PostgreSQL (STARTRAIL_E2E_BACKEND=postgres,
// see test/e2e/helpers/server.ts). Each run's own summary is printed as it ends; the last line
// totals them ("N passed, N failed"), since CI reads the closing line. Extra arguments filter by path;
// STARTRAIL_TEST_BACKENDS=sqlite (or postgres) runs the SQLite runs (1, 2) or the PostgreSQL one only.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') walk(p);
    } else if (name.endsWith('.test.ts')) files.push(p);
  }
};
for (const dir of ['src', 'test']) walk(dir);
const chosen = (filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files).sort();
// the multi-node test always runs on PostgreSQL: once, in the first run
const e2e = chosen.filter((f) => f.startsWith(join('test', 'e2e')) && !/multinode/.test(f));
const backends = (process.env.STARTRAIL_TEST_BACKENDS ?? 'sqlite,postgres').split(',');

/** One node:test invocation, its output passed through; resolves to its closing counts. */
function run(label, list, env, concurrency = 1) {
  return new Promise((resolve) => {
    process.stdout.write(`\n# ${label}: ${list.length} files\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let tail = '';
    let pending = '';
    const failures = [];
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail = (tail + d).slice(-4000);
      // keep each failing test's TAP block (its `not ok` line and the YAML under it), to repeat at the end
      const lines = (pending + d).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (/^\s*not ok \d+ - /.test(line)) failures.push([line]);
        else if (failures.length && failures.at(-1).length < 40 && !failures.at(-1).done) {
          failures.at(-1).push(line);
          if (/^\s*\.\.\.$/.test(line)) failures.at(-1).done = true;
        }
      }
    });
    child.on('close', (code, signal) => {
      const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(tail)?.[1] ?? 0);
      // a run that died before its summary counts as one failure, so the total cannot look green
      const summarized = /^# pass \d+$/m.test(tail);
      resolve({
        label,
        failures,
        code: code ?? 1,
        signal,
        pass: count('pass'),
        fail: count('fail') + (summarized ? 0 : 1) + count('cancelled'),
        skipped: count('skipped') + count('todo'),
      });
    });
  });
}

const runs = [];
const started = Date.now();
// Unit tests (in-process, no ports) run two files at a time — one per core; end-to-end files one at a time (each starts servers).
const unit = chosen.filter((f) => f.startsWith('src'));
const endToEnd = chosen.filter((f) => !f.startsWith('src'));
if (backends.includes('sqlite') && unit.length) runs.push(await run('unit tests', unit, {}, 2));
if (backends.includes('sqlite') && endToEnd.length) runs.push(await run('SQLite: end-to-end tests', endToEnd, {}));
if (backends.includes('postgres') && e2e.length) runs.push(await run('PostgreSQL: end-to-end tests', e2e, { STARTRAIL_E2E_BACKEND: 'postgres' }));

const total = (k) => runs.reduce((n, r) => n + r[k], 0);
console.log('');
// CI keeps the end of the output: the failing tests are repeated here, each with its error
for (const r of runs) {
  for (const f of r.failures) console.log(`# ${r.label}: ${f.join('\n')}`);
}
for (const r of runs) console.log(`# ${r.label}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped (exit ${r.signal ?? r.code})`);
console.log(`# ${((Date.now() - started) / 60000).toFixed(1)} minutes`);
console.log(`total: ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped`);
process.exit(runs.some((r) => r.code !== 0) || total('fail') > 0 ? 1 : 0);
