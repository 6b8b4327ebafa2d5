#!/usr/bin/env node
// Runs every test with node's own test runner: unit tests beside the code (src/**/*.test.ts) and
// end-to-end tests with the official clients (test/**/*.test.ts). Extra arguments filter by path.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules') walk(p); }
    else if (name.endsWith('.test.ts')) files.push(p);
  }
};
for (const dir of ['src', 'test']) walk(dir);
const chosen = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
chosen.sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...chosen], { stdio: 'inherit' });
process.exit(r.status ?? 1);
