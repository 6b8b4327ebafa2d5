/**
 * What a store read may skip (docs/lake.md#evaluation, "Pushdown"): the Lake columns a statement names,
 * and the eventtime bounds its WHERE implies. Both are only optimizations: the engine still evaluates
 * every name and the whole WHERE on each row.
 */
import type { Ast } from './parse.ts';
import { subquery } from './parse.ts';
import { LAKE_COLUMNS } from './values.ts';

const LAKE_NAMES: ReadonlySet<string> = new Set(LAKE_COLUMNS);

/** What a store read may skip: records outside inclusive eventtime bounds (epoch ms), columns not named (null: all). */
export interface ScanHint {
  start?: number;
  end?: number;
  columns: ReadonlySet<string> | null;
  /**
   * The order the records are wanted in: a function source reads in (eventtime, seq) order, newest
   * first for 'desc' (ORDER BY eventtime … LIMIT reads only the first rows).
   */
  order?: 'asc' | 'desc';
}

/**
 * The store columns a statement can read: every Lake column name that appears anywhere in it (a
 * superset: a literal 'eventname' counts too), or null when it selects `*` or `t.*`.
 */
export function referencedColumns(ast: Ast): ReadonlySet<string> | null {
  const out = new Set<string>();
  let star = false;
  const walk = (n: unknown): void => {
    if (star || n === null || n === undefined) return;
    if (typeof n === 'string') {
      const l = n.toLowerCase();
      if (LAKE_NAMES.has(l)) out.add(l);
      return;
    }
    if (typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const o = n as Ast;
    if (Array.isArray(o.columns)) {
      for (const c of o.columns) if (c?.expr?.type === 'column_ref' && c.expr.column === '*') star = true;
    }
    for (const k in o) walk(o[k]);
  };
  walk(ast);
  return star ? null : out;
}

/**
 * The eventtime bounds implied by the top-level AND terms of a WHERE (`eventtime > '…'`, `<=`, `=`,
 * BETWEEN, either side, against a constant): a superset of what the WHERE keeps, which it still
 * checks row by row. `eventtime` unqualified or qualified by the item's name; anything else, or a
 * bound that does not evaluate, reads everything.
 */
/**
 * `value` evaluates a constant expression to epoch ms (undefined when it is no timestamp); an
 * expression that reads a column or a sub-query is never handed to it.
 */
export function scanBounds(where: Ast, names: ReadonlySet<string>, value: (constant: Ast) => number | undefined): { start?: number; end?: number } {
  const out: { start?: number; end?: number } = {};
  const isTime = (x: Ast) => isEventTime(x, names);
  const constant = (x: Ast): number | undefined => {
    if (!x || typeof x !== 'object' || mentionsColumns(x)) return undefined;
    try {
      return value(x);
    } catch {
      return undefined;
    }
  };
  const lower = (ms: number | undefined) => {
    if (ms !== undefined) out.start = Math.max(out.start ?? ms, ms);
  };
  const upper = (ms: number | undefined) => {
    if (ms !== undefined) out.end = Math.min(out.end ?? ms, ms);
  };
  const visit = (n: Ast): void => {
    if (n?.type !== 'binary_expr') return;
    const op = String(n.operator).toUpperCase();
    if (op === 'AND') {
      visit(n.left);
      visit(n.right);
      return;
    }
    if (op === 'BETWEEN' && isTime(n.left)) {
      const [lo, hi] = n.right?.value ?? [];
      lower(constant(lo));
      upper(constant(hi));
      return;
    }
    const flip: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '=': '=' };
    let o = op;
    let other: Ast;
    if (isTime(n.left)) other = n.right;
    else if (isTime(n.right) && flip[op]) {
      o = flip[op]!;
      other = n.left;
    } else return;
    if (o === '>' || o === '>=') lower(constant(other));
    else if (o === '<' || o === '<=') upper(constant(other));
    else if (o === '=') {
      const ms = constant(other);
      lower(ms);
      upper(ms);
    }
  };
  visit(where);
  return out;
}

/** Whether an expression reads a column or a sub-query (so is no constant). */
function mentionsColumns(n: Ast): boolean {
  if (!n || typeof n !== 'object') return false;
  if (Array.isArray(n)) return n.some(mentionsColumns);
  if (n.type === 'column_ref' || n.type === 'double_quote_string' || subquery(n) || n.ast) return true;
  for (const k in n) if (n[k] && typeof n[k] === 'object' && mentionsColumns(n[k])) return true;
  return false;
}

/** A column reference's name parts, lowercase: `a.b.c` → ['a','b','c']. */
export function columnPath(n: Ast): string[] {
  const parts: string[] = [];
  if (n.table) parts.push(String(n.table).toLowerCase());
  const walk = (x: Ast): void => {
    if (typeof x === 'string') parts.push(x.toLowerCase());
    else if (x?.type === 'binary_expr' && x.operator === '.') {
      walk(x.left);
      walk(x.right);
    } else if (x && typeof x === 'object' && 'value' in x) parts.push(String(x.value).toLowerCase());
    else if (x?.expr) walk(x.expr);
  };
  walk(n.column?.expr ?? n.column);
  return parts;
}

/** Whether `x` is the eventtime column: unqualified, or qualified by one of `names` (the store's binding). */
export function isEventTime(x: Ast, names: ReadonlySet<string>): boolean {
  if (x?.type !== 'column_ref' || x.array_index?.length) return false;
  const p = columnPath(x);
  return (p.length === 1 && p[0] === 'eventtime') || (p.length === 2 && names.has(p[0] as string) && p[1] === 'eventtime');
}

/**
 * The order a statement's one store can be read in for its ORDER BY (the caller has checked it has a
 * LIMIT and no DISTINCT or aggregate): `ORDER BY eventtime [ASC|DESC]` (or `t.eventtime`) over a single
 * store that `ordered` says is read through a source honouring ScanHint.order, with no SELECT alias
 * named eventtime standing for something else.
 */
export function storeOrder(s: Ast, ordered: (table: string) => boolean): 'asc' | 'desc' | undefined {
  const from: Ast[] = s.from ?? [];
  if (from.length !== 1 || s.orderby?.length !== 1) return undefined;
  const f = from[0];
  // a sub-query or UNNEST has an expression; a CTE or a listed store is not `ordered`
  if (f.table === undefined || f.expr) return undefined;
  const table = String(f.table).toLowerCase();
  if (!ordered(table)) return undefined;
  const names = new Set([f.as ? String(f.as).toLowerCase() : table]);
  const o = s.orderby[0];
  if (!isEventTime(o.expr, names)) return undefined;
  for (const c of Array.isArray(s.columns) ? s.columns : [])
    if (c.as && String(c.as).toLowerCase() === 'eventtime' && !isEventTime(c.expr, names)) return undefined;
  return String(o.type ?? 'ASC').toUpperCase() === 'DESC' ? 'desc' : 'asc';
}
