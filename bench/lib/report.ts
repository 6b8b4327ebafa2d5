// Role: collects figures into rows (with targets beside them), prints the table and writes bench/results/<timestamp>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './procs.ts';

export interface Target {
  op: '>=' | '<=';
  value: number;
  text: string;
}
export interface Row {
  case: string;
  metric: string;
  value: number | string;
  unit?: string;
  target?: Target;
  pass?: boolean;
  note?: string;
}

export class Report {
  readonly rows: Row[] = [];
  readonly details: Record<string, unknown> = {};
  readonly startedAt = new Date();

  add(row: Row): void {
    if (row.target && typeof row.value === 'number' && Number.isFinite(row.value)) {
      row.pass = row.target.op === '>=' ? row.value >= row.target.value : row.value <= row.target.value;
    }
    this.rows.push(row);
  }

  /** Not measured (case not available yet, or skipped): listed with the reason. */
  skip(c: string, metric: string, reason: string, target?: Target): void {
    this.rows.push({ case: c, metric, value: 'not run', note: reason, ...(target ? { target } : {}) });
  }

  detail(key: string, value: unknown): void {
    this.details[key] = value;
  }

  print(out: (s: string) => void = console.log): void {
    const fmt = (r: Row) => (typeof r.value === 'number' ? `${fmtNum(r.value)}${r.unit ? ` ${r.unit}` : ''}` : r.value);
    const cols = this.rows.map((r) => [
      r.case,
      r.metric,
      fmt(r),
      r.target ? `${r.target.op} ${r.target.text}` : '',
      r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS',
      r.note ?? '',
    ]);
    const head = ['case', 'metric', 'value', 'target', '', 'note'];
    const width = head.map((h, i) => Math.min(i === 5 ? 80 : 60, Math.max(h.length, ...cols.map((c) => c[i]!.length))));
    const line = (c: string[]) =>
      c
        .map((v, i) => (i === 2 ? v.padStart(width[i]!) : v.padEnd(width[i]!)))
        .join('  ')
        .trimEnd();
    out('');
    out(line(head));
    out(width.map((w) => '-'.repeat(w)).join('  '));
    let last = '';
    for (const c of cols) {
      out(line([c[0] === last ? '' : c[0]!, ...c.slice(1)]));
      last = c[0]!;
    }
  }

  write(extra: Record<string, unknown>): string {
    const dir = join(PROJECT_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt: this.startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          environment: environment(),
          ...extra,
          rows: this.rows,
          details: this.details,
        },
        null,
        2,
      ) + '\n',
    );
    return file;
  }
}

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function environment(): Record<string, unknown> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    commit: git(['rev-parse', 'HEAD']),
    dirty: (git(['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length,
    loadavgAtEnd: loadavg().map((v) => Number(v.toFixed(2))),
  };
}
