/**
 * Evaluating a Lake query (docs/lake.md#sql): the parsed SELECT (parse.ts) runs over the rows of the
 * event data stores it names, loaded by the caller (queries.ts reads only the stores of the caller's
 * account, with bound parameters); nothing else is reachable. Semantics follow Trino's
 * (https://trino.io/docs/current/sql/select.html): three-valued logic, NULLS LAST, GROUP BY
 * ordinals, HAVING, DISTINCT, ORDER BY output names or ordinals, LIMIT/OFFSET, WITH, sub-queries in
 * FROM and expressions (IN, scalar, EXISTS, correlated), UNION/INTERSECT/EXCEPT [ALL], INNER/LEFT/
 * RIGHT/FULL/CROSS JOIN, CROSS JOIN UNNEST, and Lake's functions (functions.ts). Timestamps compare
 * with string literals ('2024-01-01 00:00:00'); names are matched case-insensitively.
 */
import { QueryError, SCALARS, cmpValues, like, num, str, ts, typeName } from './functions.ts';
import { addMonths } from './functions.ts';
import type { Ast } from './parse.ts';
import { functionName, subquery } from './parse.ts';
import { Dbl, Interval, LAKE_COLUMNS, SqlMap, Struct, Ts, type Value, parseTimestamp, render } from './values.ts';

export { QueryError };

export const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'approx_distinct',
  'count_if',
  'arbitrary',
  'any_value',
  'bool_and',
  'bool_or',
  'every',
  'array_agg',
  'max_by',
  'min_by',
  'approx_percentile',
]);
/** Scalar functions plus the forms evaluated here (try, cast is its own node). */
export const FUNCTIONS = new Set([...Object.keys(SCALARS), 'try', 'unnest', 'exists']);

export interface Relation {
  columns: string[];
  rows: Value[][];
}

/** A query's result, with how many store records passed the WHERE of the SELECTs that read them (EventsMatched). */
export interface QueryRelation extends Relation {
  matched: number;
}

interface Binding {
  name: string | null;
  value: Struct;
  /** the binding's columns, in order (SELECT *) */
  columns: string[];
}
interface Env {
  bindings: Binding[];
  outer: Env | null;
}
interface Ctx {
  env: Env;
  /** rows of the group being evaluated (aggregates) */
  group?: Env[];
  run: Runner;
}

/** What a query reads: each named store's rows. */
export type StoreRows = Map<string, Struct[]>;

const EMPTY_ENV: Env = { bindings: [], outer: null };

class Runner {
  constructor(
    readonly stores: StoreRows,
    readonly now: number,
  ) {}
  readonly cache = new Map<Ast, Relation>();
  matched = 0;
}

/** Runs a parsed query: its columns and rows (values, not yet rendered). */
export function runQuery(ast: Ast, stores: StoreRows, now: number): QueryRelation {
  const run = new Runner(stores, now);
  return { ...runSelect(ast, EMPTY_ENV, new Map(), run), matched: run.matched };
}

/** A result value as GetQueryResults shows it: a string (null → ''). */
export const cell = (v: Value): string => render(v) ?? '';

// ---------------------------------------------------------------- SELECT

function runSelect(s: Ast, outer: Env, ctes: Map<string, Relation>, run: Runner): Relation {
  let scope = ctes;
  if (s.with?.length) {
    scope = new Map(ctes);
    for (const w of s.with) {
      const inner = subquery(w.stmt) ?? w.stmt;
      const rel = runSelect(inner, outer, scope, run);
      const names = (w.columns ?? []).map((c: Ast) => String(c?.value ?? c?.column ?? c).toLowerCase());
      scope.set(String(w.name?.value ?? w.name).toLowerCase(), names.length === rel.columns.length ? { columns: names, rows: rel.rows } : rel);
    }
  }
  const chain: Ast[] = [];
  for (let cur = s; cur; cur = cur._next) chain.push(cur);
  if (chain.length === 1) return runCore(s, outer, scope, run, true);
  // ORDER BY and LIMIT after the last SELECT of a set operation apply to the whole
  let result = runCore(chain[0], outer, scope, run, false);
  for (let i = 1; i < chain.length; i++) {
    const right = runCore(chain[i], outer, scope, run, false);
    if (right.columns.length !== result.columns.length) throw new QueryError('column count mismatch in set operation');
    result = setOp(String(chain[i - 1].set_op ?? 'union').toLowerCase(), result, right);
  }
  const last = chain[chain.length - 1];
  let rows = result.rows.map((vals) => ({ vals, ctx: undefined as Ctx | undefined }));
  if (last.orderby?.length) rows = sortRows(rows, last.orderby, result.columns);
  return { columns: result.columns, rows: limitRows(rows, last.limit).map((r) => r.vals) };
}

const rowKey = (vals: Value[]) => JSON.stringify(vals.map((v) => (v === null ? null : [typeof v, cell(v)])));

function setOp(op: string, a: Relation, b: Relation): Relation {
  const all = op.endsWith(' all');
  const kind = op.replace(/ (all|distinct)$/, '');
  const distinct = (rows: Value[][]) => {
    const seen = new Set<string>();
    return rows.filter((r) => {
      const k = rowKey(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };
  if (kind === 'union') return { columns: a.columns, rows: all ? [...a.rows, ...b.rows] : distinct([...a.rows, ...b.rows]) };
  const counts = new Map<string, number>();
  for (const r of b.rows) counts.set(rowKey(r), (counts.get(rowKey(r)) ?? 0) + 1);
  if (kind === 'intersect') {
    const out = a.rows.filter((r) => {
      const k = rowKey(r);
      const n = counts.get(k) ?? 0;
      if (n <= 0) return false;
      if (all) counts.set(k, n - 1);
      return true;
    });
    return { columns: a.columns, rows: all ? out : distinct(out) };
  }
  if (kind === 'except' || kind === 'minus') {
    const out = a.rows.filter((r) => {
      const k = rowKey(r);
      const n = counts.get(k) ?? 0;
      if (n > 0) {
        if (all) counts.set(k, n - 1);
        return false;
      }
      return true;
    });
    return { columns: a.columns, rows: all ? out : distinct(out) };
  }
  throw new QueryError(`Set operation ${op.toUpperCase()} is not supported`);
}

interface OutRow {
  vals: Value[];
  ctx: Ctx | undefined;
}

function runCore(s: Ast, outer: Env, ctes: Map<string, Relation>, run: Runner, orderAndLimit: boolean): Relation {
  let envs = fromClause(s.from ?? [], outer, ctes, run);
  if (s.where) envs = envs.filter((env) => ev(s.where, { env, run }) === true);
  if ((s.from ?? []).some((f: Ast) => f.table !== undefined && !f.expr && run.stores.has(String(f.table).toLowerCase()))) run.matched += envs.length;
  const columns: Ast[] = Array.isArray(s.columns) ? s.columns : [];
  const groupExprs: Ast[] = s.groupby ? (Array.isArray(s.groupby) ? s.groupby : (s.groupby.columns ?? [])) : [];
  const aggregated =
    groupExprs.length > 0 || columns.some((c) => hasAggregate(c.expr)) || hasAggregate(s.having) || (s.orderby ?? []).some((o: Ast) => hasAggregate(o.expr));
  let contexts: Ctx[];
  if (aggregated) {
    const keyed = groupExprs.map((g) => groupTarget(g, columns));
    const groups = new Map<string, Env[]>();
    for (const env of envs) {
      const key = rowKey(keyed.map((g) => ev(g, { env, run })));
      const list = groups.get(key);
      if (list) list.push(env);
      else groups.set(key, [env]);
    }
    if (!groupExprs.length && !groups.size) groups.set('', []);
    contexts = [...groups.values()].map((group) => ({ env: group[0] ?? { bindings: [], outer }, group, run }));
    if (s.having) contexts = contexts.filter((c) => ev(s.having, c) === true);
  } else {
    contexts = envs.map((env) => ({ env, run }));
  }
  const names: string[] = [];
  const exprs: ({ star: true; table: string | null } | { star: false; expr: Ast })[] = [];
  columns.forEach((c, i) => {
    const e = c.expr;
    if (e?.type === 'column_ref' && e.column === '*') {
      exprs.push({ star: true, table: e.table ? String(e.table).toLowerCase() : null });
      return;
    }
    exprs.push({ star: false, expr: e });
    names.push(String(c.as ?? defaultName(e) ?? `_col${i}`).toLowerCase());
  });
  let starNames: string[] | undefined;
  let rows: OutRow[] = contexts.map((ctx) => {
    const vals: Value[] = [];
    const rowNames: string[] = [];
    let k = 0;
    for (const x of exprs) {
      if (x.star) {
        for (const b of ctx.env.bindings) {
          if (x.table !== null && b.name !== x.table) continue;
          for (const col of b.columns) {
            vals.push(b.value.get(col));
            rowNames.push(col);
          }
        }
      } else {
        vals.push(ev(x.expr, ctx));
        rowNames.push(names[k++]!);
      }
    }
    starNames ??= rowNames;
    return { vals, ctx };
  });
  const outNames = exprs.some((x) => x.star) ? (starNames ?? starColumns(exprs, s.from ?? [], ctes, names)) : names;
  if (orderAndLimit && s.orderby?.length) rows = sortRows(rows, s.orderby, outNames, columns);
  if (s.distinct?.type === 'DISTINCT' || s.distinct === 'DISTINCT') {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const k = rowKey(r.vals);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (orderAndLimit) rows = limitRows(rows, s.limit);
  return { columns: outNames, rows: rows.map((r) => r.vals) };
}

/** Column names of SELECT * over no rows. */
function starColumns(exprs: ({ star: true; table: string | null } | { star: false; expr: Ast })[], from: Ast[], ctes: Map<string, Relation>, names: string[]) {
  const out: string[] = [];
  let k = 0;
  for (const x of exprs) {
    if (!x.star) {
      out.push(names[k++]!);
      continue;
    }
    for (const f of from) {
      const alias = f.as ? String(f.as).toLowerCase() : f.table ? String(f.table).toLowerCase() : null;
      if (x.table !== null && alias !== x.table) continue;
      if (f.table !== undefined && !f.expr) {
        const rel = ctes.get(String(f.table).toLowerCase());
        out.push(...(rel ? rel.columns : LAKE_COLUMNS));
      }
    }
  }
  return out;
}

function defaultName(e: Ast): string | undefined {
  if (e?.type !== 'column_ref') return undefined;
  const path = columnPath(e);
  return e.array_index?.length ? undefined : path[path.length - 1];
}

const resolvableName = (name: string) => (LAKE_COLUMNS as readonly string[]).includes(name);

/** A GROUP BY item: an ordinal or a SELECT alias stands for that SELECT expression. */
function groupTarget(g: Ast, columns: Ast[]): Ast {
  if (g?.type === 'number') {
    const c = columns[Number(g.value) - 1];
    if (!c || c.expr?.column === '*') throw new QueryError(`GROUP BY position ${g.value} is not in select list`);
    return c.expr;
  }
  if (g?.type === 'column_ref' && !g.table) {
    const path = columnPath(g);
    if (path.length === 1) {
      const c = columns.find((x) => x.as && String(x.as).toLowerCase() === path[0]);
      if (c && !resolvableName(path[0]!)) return c.expr;
    }
  }
  return g;
}

function sortRows(rows: OutRow[], orderby: Ast[], names: string[], columns?: Ast[]): OutRow[] {
  const keys = rows.map((r) =>
    orderby.map((o: Ast) => {
      const e = o.expr;
      if (e?.type === 'number') {
        const i = Number(e.value) - 1;
        if (i < 0 || i >= names.length) throw new QueryError(`ORDER BY position ${e.value} is not in select list`);
        return r.vals[i] ?? null;
      }
      if (e?.type === 'column_ref' && !e.table && !e.array_index) {
        const path = columnPath(e);
        const i = names.indexOf(path[0]!);
        if (path.length === 1 && i >= 0 && (!r.ctx || columns?.some((c) => c.as && String(c.as).toLowerCase() === path[0]) || !resolvable(r.ctx.env, path)))
          return r.vals[i] ?? null;
      }
      if (!r.ctx) throw new QueryError('ORDER BY of a set operation takes output column names or positions');
      return ev(e, r.ctx);
    }),
  );
  const idx = rows.map((_, i) => i);
  idx.sort((a, b) => {
    for (let k = 0; k < orderby.length; k++) {
      const desc = String(orderby[k].type ?? 'ASC').toUpperCase() === 'DESC';
      const nullsFirst = /FIRST/i.test(String(orderby[k].nulls ?? ''));
      const x = keys[a]![k] ?? null;
      const y = keys[b]![k] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst ? -1 : 1;
      }
      const c = compare(x, y);
      if (c !== 0) return desc ? -c : c;
    }
    return a - b;
  });
  return idx.map((i) => rows[i]!);
}

function limitRows<T>(rows: T[], limit: Ast): T[] {
  const v = limit?.value ?? [];
  if (!v.length) return rows;
  const n = (x: Ast) => {
    const k = Number(x?.value);
    if (!Number.isInteger(k) || k < 0) throw new QueryError('LIMIT and OFFSET take non-negative integers');
    return k;
  };
  if (limit.seperator === 'offset') return rows.slice(v[1] ? n(v[1]) : 0, (v[1] ? n(v[1]) : 0) + n(v[0]));
  if (limit.seperator === ',') return rows.slice(n(v[0]), n(v[0]) + n(v[1]));
  return rows.slice(0, n(v[0]));
}

// ---------------------------------------------------------------- FROM

function unnestAlias(as: unknown): { name: string | null; columns: string[] } {
  if (!as) return { name: null, columns: [] };
  const m = /^\s*("?)([^"(\s]+)\1\s*(?:\(([^)]*)\))?\s*$/.exec(String(as));
  if (!m) return { name: String(as).toLowerCase(), columns: [] };
  return {
    name: m[2]!.toLowerCase(),
    columns: (m[3] ?? '')
      .split(',')
      .map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase())
      .filter(Boolean),
  };
}

function isUnnest(f: Ast): boolean {
  return f?.expr?.type === 'function' && functionName(f.expr) === 'unnest';
}

function nullBinding(b: Binding): Binding {
  return { name: b.name, columns: b.columns, value: new Struct(new Map(b.columns.map((c) => [c, null]))) };
}

function fromClause(from: Ast[], outer: Env, ctes: Map<string, Relation>, run: Runner): Env[] {
  if (!from.length) return [{ bindings: [], outer }];
  let envs: Env[] = [{ bindings: [], outer }];
  // the null-padding of every binding so far, for RIGHT and FULL joins
  let leftNulls: Binding[] = [];
  for (let i = 0; i < from.length; i++) {
    const f = from[i];
    let join = String(f.join ?? (i === 0 ? '' : 'CROSS JOIN')).toUpperCase();
    // the Trino grammar reads `FROM t CROSS JOIN UNNEST(…)` as t aliased CROSS
    const next = from[i + 1];
    const crossAlias = typeof f.as === 'string' && f.as.toUpperCase() === 'CROSS' && next && isUnnest(next);
    if (isUnnest(f)) {
      if (from[i - 1]?.as && String(from[i - 1].as).toUpperCase() === 'CROSS') join = 'CROSS JOIN';
      envs = unnest(f, envs, run, join);
      continue;
    }
    const right = relationRows(f, crossAlias ? null : f.as, outer, ctes, run);
    envs = joinEnvs(envs, right.rows, right.nulls, join, f.on, run, i === 0, leftNulls);
    leftNulls = [...leftNulls, right.nulls];
  }
  return envs;
}

function unnest(f: Ast, envs: Env[], run: Runner, join: string): Env[] {
  const { name, columns } = unnestAlias(f.as);
  const args: Ast[] = f.expr.args?.value ?? [];
  const out: Env[] = [];
  for (const env of envs) {
    const arrays = args.map((a) => ev(a, { env, run }));
    const len = Math.max(0, ...arrays.map((a) => (Array.isArray(a) ? a.length : 0)));
    for (let k = 0; k < len; k++) {
      const fields = new Map<string, Value>();
      arrays.forEach((arr, j) => {
        const el = Array.isArray(arr) ? (arr[k] ?? null) : null;
        if (el instanceof Struct && (columns.length === 0 || (columns.length > 1 && args.length === 1))) {
          // an array of rows: one column per field (named by the alias list when given)
          const vals = [...el.fields];
          vals.forEach(([fname, v], n) => {
            fields.set(columns[n] ?? fname, v);
          });
        } else fields.set(columns[j] ?? (args.length === 1 && name ? name : `_col${j}`), el);
      });
      out.push({ bindings: [...env.bindings, { name, value: new Struct(fields), columns: [...fields.keys()] }], outer: env.outer });
    }
    if (!len && join.startsWith('LEFT')) out.push(env);
  }
  return out;
}

/** The rows a FROM item stands for, each as a binding, and the binding of nulls an outer join pads with. */
function relationRows(f: Ast, alias: unknown, outer: Env, ctes: Map<string, Relation>, run: Runner): { rows: Binding[]; nulls: Binding } {
  const sub = subquery(f.expr);
  const name = alias ? String(alias).toLowerCase() : f.table !== undefined && !f.expr ? String(f.table).toLowerCase() : null;
  if (sub) return relationBindings(runSelect(sub, outer, ctes, run), name);
  if (f.expr) throw new QueryError('Only tables, sub-queries and UNNEST may appear in FROM');
  const table = String(f.table).toLowerCase();
  const cte = ctes.get(table);
  if (cte) return relationBindings(cte, name);
  const rows = run.stores.get(table);
  if (!rows) throw new QueryError(`Event data store ${f.table} does not exist`);
  const columns = LAKE_COLUMNS as unknown as string[];
  return { rows: rows.map((value) => ({ name, value, columns })), nulls: nullBinding({ name, columns, value: new Struct(new Map()) }) };
}

function relationBindings(rel: Relation, name: string | null): { rows: Binding[]; nulls: Binding } {
  return {
    rows: rel.rows.map((r) => ({ name, columns: rel.columns, value: new Struct(new Map(rel.columns.map((c, i) => [c, r[i] ?? null]))) })),
    nulls: nullBinding({ name, columns: rel.columns, value: new Struct(new Map()) }),
  };
}

function joinEnvs(left: Env[], right: Binding[], rightNulls: Binding, join: string, on: Ast, run: Runner, first: boolean, leftNulls: Binding[]): Env[] {
  if (first) return left.flatMap((env) => right.map((b) => ({ bindings: [...env.bindings, b], outer: env.outer })));
  const out: Env[] = [];
  const matchedRight = new Set<number>();
  const outerLeft = join.startsWith('LEFT') || join.startsWith('FULL');
  for (const env of left) {
    let matched = false;
    right.forEach((b, j) => {
      const merged = { bindings: [...env.bindings, b], outer: env.outer };
      if (on && ev(on, { env: merged, run }) !== true) return;
      matched = true;
      matchedRight.add(j);
      out.push(merged);
    });
    if (!matched && outerLeft) out.push({ bindings: [...env.bindings, rightNulls], outer: env.outer });
  }
  if (join.startsWith('RIGHT') || join.startsWith('FULL')) {
    const outerEnv = left[0]?.outer ?? EMPTY_ENV;
    right.forEach((b, j) => {
      if (!matchedRight.has(j)) out.push({ bindings: [...leftNulls, b], outer: outerEnv });
    });
  }
  return out;
}

// ---------------------------------------------------------------- expressions

function hasAggregate(n: Ast): boolean {
  if (!n || typeof n !== 'object') return false;
  if (Array.isArray(n)) return n.some(hasAggregate);
  if (subquery(n)) return false;
  if (n.type === 'aggr_func') return true;
  if (n.type === 'function' && AGGREGATES.has(functionName(n))) return true;
  return Object.values(n).some((v) => v && typeof v === 'object' && hasAggregate(v));
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

/** A struct field; records whose value is no struct where the schema has one (hand-written imports) give null, as a missing field does. */
function field(v: Value, name: string, whole: string): Value {
  if (v instanceof Struct) return v.get(name);
  if (v instanceof SqlMap) return v.entries.get(name) ?? null;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return null;
  throw new QueryError(`Expression ${whole} is not of type ROW`);
}

function resolvable(env: Env, path: string[]): boolean {
  for (let e: Env | null = env; e; e = e.outer) {
    if (path.length > 1 && e.bindings.some((b) => b.name === path[0])) return true;
    if (e.bindings.some((b) => b.value.fields.has(path[0]!))) return true;
  }
  return false;
}

function resolve(env: Env, path: string[]): Value {
  const whole = path.join('.');
  for (let e: Env | null = env; e; e = e.outer) {
    if (path.length > 1) {
      const b = e.bindings.find((x) => x.name === path[0]);
      if (b) return path.slice(1).reduce<Value>((v, p) => field(v, p, whole), b.value);
    }
    const b = e.bindings.find((x) => x.value.fields.has(path[0]!));
    if (b) return path.reduce<Value>((v, p) => field(v, p, whole), b.value);
  }
  throw new QueryError(`Column '${whole}' cannot be resolved`);
}

function truth(v: Value): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new QueryError(`${typeName(v)} value used as a condition`);
}

/** Trino comparison with Lake's coercions: timestamps with strings, numbers with numeric strings, booleans with 'true'/'false'. */
function compare(a: Value, b: Value): number {
  if (a instanceof Ts || b instanceof Ts) return ts(a)! - ts(b)!;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(truth(a)) - Number(truth(b));
  const na = typeof a === 'number' || a instanceof Dbl;
  const nb = typeof b === 'number' || b instanceof Dbl;
  if (na || nb) {
    const x = na ? a : num(a);
    const y = nb ? b : num(b);
    return (x instanceof Dbl ? x.v : (x as number)) - (y instanceof Dbl ? y.v : (y as number));
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const sa = cell(a);
  const sb = cell(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const CMP: Record<string, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function arith(op: string, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (a instanceof Ts && b instanceof Interval) return new Ts(op === '+' ? addMonths(a.ms, b.months) + b.ms : addMonths(a.ms, -b.months) - b.ms);
  if (a instanceof Interval && b instanceof Ts && op === '+') return new Ts(addMonths(b.ms, a.months) + a.ms);
  if (a instanceof Ts && b instanceof Ts && op === '-') return new Interval(a.ms - b.ms);
  if (a instanceof Interval && b instanceof Interval)
    return new Interval(op === '+' ? a.ms + b.ms : a.ms - b.ms, op === '+' ? a.months + b.months : a.months - b.months);
  const dbl = a instanceof Dbl || b instanceof Dbl;
  const x = num(a)!;
  const y = num(b)!;
  const ints = !dbl && Number.isInteger(x) && Number.isInteger(y);
  let r: number;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (y === 0 && ints) throw new QueryError('Division by zero');
      r = ints ? Math.trunc(x / y) : x / y;
      break;
    case '%':
      if (y === 0 && ints) throw new QueryError('Division by zero');
      r = x % y;
      break;
    default:
      throw new QueryError(`Operator ${op} is not supported`);
  }
  return dbl ? new Dbl(r) : r;
}

function intervalOf(n: Ast, c: Ctx): Value {
  const amount = num(ev(n.expr, c));
  if (amount === null) return null;
  const unit = String(n.unit ?? '')
    .toLowerCase()
    .replace(/s$/, '');
  const ms: Record<string, number> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
  if (unit === 'month') return new Interval(0, amount);
  if (unit === 'year') return new Interval(0, amount * 12);
  if (unit === 'quarter') return new Interval(0, amount * 3);
  const size = ms[unit];
  if (!size) throw new QueryError(`Interval unit ${n.unit} is not supported`);
  return new Interval(amount * size);
}

function castTo(v: Value, type: string, tryCast: boolean): Value {
  if (v === null) return null;
  const t = type.toLowerCase();
  try {
    if (t === 'varchar' || t === 'char' || t === 'string' || t === 'json') {
      if (v instanceof Struct || v instanceof SqlMap || Array.isArray(v)) return cell(v);
      return str(v);
    }
    if (t === 'bigint' || t === 'integer' || t === 'int' || t === 'smallint' || t === 'tinyint') {
      if (typeof v === 'string' && !/^\s*[+-]?\d+\s*$/.test(v)) throw new QueryError(`Cannot cast '${v}' to ${t.toUpperCase()}`);
      const n = num(v)!;
      return Math.round(n);
    }
    if (t === 'double' || t === 'real' || t === 'float' || t === 'decimal') {
      const n = num(v);
      if (n === null || Number.isNaN(n)) throw new QueryError(`Cannot cast '${cell(v)}' to ${t.toUpperCase()}`);
      return t === 'decimal' ? n : new Dbl(n);
    }
    if (t === 'boolean') {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      const b = truth(String(v).toLowerCase());
      if (b === null) throw new QueryError(`Cannot cast '${cell(v)}' to BOOLEAN`);
      return b;
    }
    if (t === 'timestamp') return new Ts(ts(v)!);
    if (t === 'date') {
      const ms = ts(v)!;
      return new Ts(ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000));
    }
  } catch (e) {
    if (tryCast && e instanceof QueryError) return null;
    throw e;
  }
  throw new QueryError(`Cast to ${type} is not supported`);
}

function runSub(sub: Ast, c: Ctx): Relation {
  // a sub-query that reads no outer column runs once
  const cached = c.run.cache.get(sub);
  if (cached) return cached;
  try {
    const rel = runSelect(sub, { bindings: [], outer: null }, new Map(), c.run);
    c.run.cache.set(sub, rel);
    return rel;
  } catch (e) {
    if (!(e instanceof QueryError) || !/cannot be resolved/.test(e.message)) throw e;
    return runSelect(sub, c.env, new Map(), c.run);
  }
}

function ev(n: Ast, c: Ctx): Value {
  if (n === null || n === undefined) return null;
  const sub = subquery(n);
  if (sub) {
    const rel = runSub(sub, c);
    if (rel.rows.length > 1) throw new QueryError('Scalar sub-query has returned multiple rows');
    return rel.rows[0]?.[0] ?? null;
  }
  switch (n.type) {
    case 'number':
      return typeof n.value === 'number' ? n.value : Number(n.value);
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
    case 'hex_string':
    case 'full_hex_string':
      return String(n.value);
    case 'bool':
    case 'boolean':
      return Boolean(n.value);
    case 'null':
      return null;
    case 'timestamp':
    case 'datetime':
    case 'date': {
      const ms = parseTimestamp(String(n.value));
      if (ms === undefined) throw new QueryError(`Value cannot be cast to timestamp: ${n.value}`);
      return new Ts(ms);
    }
    case 'interval':
      return intervalOf(n, c);
    case 'column_ref': {
      if (n.column === '*') throw new QueryError('* is allowed only in the select list and count(*)');
      let v = resolve(c.env, columnPath(n));
      for (const ix of n.array_index ?? []) v = subscript(v, ev(ix.index, c));
      return v;
    }
    case 'double_quote_string':
      return resolve(c.env, [String(n.value).toLowerCase()]);
    case 'expr_list':
      return (n.value ?? []).map((x: Ast) => ev(x, c));
    case 'unary_expr': {
      const v = ev(n.expr, c);
      const op = String(n.operator).toUpperCase();
      if (op === 'NOT') {
        const t = truth(v);
        return t === null ? null : !t;
      }
      if (op === '-') return v === null ? null : v instanceof Dbl ? new Dbl(-v.v) : v instanceof Interval ? new Interval(-v.ms, -v.months) : -num(v)!;
      return v;
    }
    case 'binary_expr':
      return binary(n, c);
    case 'case': {
      const subject = n.expr ? ev(n.expr, c) : undefined;
      for (const a of n.args ?? []) {
        if (a.type === 'else') return ev(a.result, c);
        if (subject !== undefined) {
          const w = ev(a.cond, c);
          if (subject !== null && w !== null && compare(subject, w) === 0) return ev(a.result, c);
        } else if (truth(ev(a.cond, c)) === true) return ev(a.result, c);
      }
      return null;
    }
    case 'cast': {
      const target = n.target?.[0] ?? n.target;
      return castTo(ev(n.expr, c), String(target?.dataType ?? ''), String(n.keyword).toLowerCase() === 'try_cast');
    }
    case 'aggr_func':
      return aggregate(String(n.name).toLowerCase(), n.args?.expr === undefined ? [] : [n.args.expr], n.args?.distinct === 'DISTINCT', n, c);
    case 'function':
      return call(n, c);
    case 'array':
      return (n.value ?? n.expr_list?.value ?? []).map((x: Ast) => ev(x, c));
    default:
      throw new QueryError(`Expression ${String(n.type)} is not supported`);
  }
}

function subscript(v: Value, key: Value): Value {
  if (v === null || key === null) return null;
  if (v instanceof SqlMap) return v.entries.get(str(key)!) ?? null;
  if (Array.isArray(v)) {
    const i = num(key)!;
    if (i < 1 || i > v.length) throw new QueryError(`Array subscript out of bounds: ${i}`);
    return v[i - 1] ?? null;
  }
  if (v instanceof Struct) return v.get(str(key)!);
  throw new QueryError(`Cannot subscript a ${typeName(v)} value`);
}

function binary(n: Ast, c: Ctx): Value {
  const op = String(n.operator).toUpperCase();
  if (op === 'AND') {
    const a = truth(ev(n.left, c));
    if (a === false) return false;
    const b = truth(ev(n.right, c));
    if (b === false) return false;
    return a === null || b === null ? null : true;
  }
  if (op === 'OR') {
    const a = truth(ev(n.left, c));
    if (a === true) return true;
    const b = truth(ev(n.right, c));
    if (b === true) return true;
    return a === null || b === null ? null : false;
  }
  if (op === 'IS' || op === 'IS NOT') {
    const l = ev(n.left, c);
    const r = n.right?.type === 'null' ? null : ev(n.right, c);
    const same = r === null ? l === null : l !== null && compare(l, r) === 0;
    return op === 'IS' ? same : !same;
  }
  if (op === 'IN' || op === 'NOT IN') {
    const l = ev(n.left, c);
    const list = inList(n.right, c);
    if (l === null) return null;
    let sawNull = false;
    for (const x of list) {
      if (x === null) sawNull = true;
      else if (compare(l, x) === 0) return op === 'IN';
    }
    return sawNull ? null : op !== 'IN';
  }
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const l = ev(n.left, c);
    const [lo, hi] = (n.right?.value ?? []).map((x: Ast) => ev(x, c));
    if (l === null || lo === null || hi === null || lo === undefined || hi === undefined) return null;
    const inside = compare(l, lo) >= 0 && compare(l, hi) <= 0;
    return op === 'BETWEEN' ? inside : !inside;
  }
  if (op === 'LIKE' || op === 'NOT LIKE') {
    const l = ev(n.left, c);
    const r = ev(n.right, c);
    if (l === null || r === null) return null;
    const m = like(str(l)!, str(r)!);
    return op === 'LIKE' ? m : !m;
  }
  if (op === '||') {
    const l = ev(n.left, c);
    const r = ev(n.right, c);
    if (l === null || r === null) return null;
    if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
    return str(l)! + str(r)!;
  }
  if (op === '.') return resolve(c.env, columnPath({ column: { expr: n } }));
  const l = ev(n.left, c);
  const r = ev(n.right, c);
  const cmp = CMP[op];
  if (cmp) return l === null || r === null ? null : cmp(compare(l, r));
  return arith(op, l, r);
}

function inList(right: Ast, c: Ctx): Value[] {
  const items: Ast[] = right?.type === 'expr_list' ? right.value : [right];
  if (items.length === 1 && subquery(items[0])) return runSub(subquery(items[0]), c).rows.map((r) => r[0] ?? null);
  return items.map((x) => ev(x, c));
}

function call(n: Ast, c: Ctx): Value {
  const name = functionName(n);
  const args: Ast[] = n.args?.value ?? (n.args?.expr ? [n.args.expr] : []);
  if (AGGREGATES.has(name)) return aggregate(name, args, n.args?.distinct === 'DISTINCT', n, c);
  if (name === 'try') {
    try {
      return ev(args[0], c);
    } catch (e) {
      if (e instanceof QueryError) return null;
      throw e;
    }
  }
  if (name === 'exists') {
    const sub = subquery(args[0]);
    if (!sub) throw new QueryError('EXISTS takes a sub-query');
    return runSub(sub, c).rows.length > 0;
  }
  if (name === 'if') {
    const cond = truth(ev(args[0], c));
    return cond === true ? ev(args[1], c) : args[2] === undefined ? null : ev(args[2], c);
  }
  if (name === 'coalesce') {
    for (const a of args) {
      const v = ev(a, c);
      if (v !== null) return v;
    }
    return null;
  }
  const f = SCALARS[name];
  if (!f) throw new QueryError(`Function ${name} not registered`);
  return f(
    args.map((a) => ev(a, c)),
    c.run.now,
  );
}

function aggregate(name: string, args: Ast[], distinct: boolean, n: Ast, c: Ctx): Value {
  if (!c.group) throw new QueryError(`'${name}' must be an aggregate expression or appear in GROUP BY clause`);
  const rows = c.group;
  const star = args.length === 0 || args[0]?.type === 'star';
  const filter = n.filter?.where;
  const kept = filter ? rows.filter((env) => ev(filter, { env, run: c.run }) === true) : rows;
  if (name === 'count' && star) return kept.length;
  const evalArg = (k: number) => kept.map((env) => ev(args[k], { env, run: c.run }));
  let values = evalArg(0);
  if (name === 'max_by' || name === 'min_by') {
    const by = evalArg(1);
    let best: number | undefined;
    by.forEach((b, i) => {
      if (b === null) return;
      if (best === undefined || (name === 'max_by' ? compare(b, by[best]!) > 0 : compare(b, by[best]!) < 0)) best = i;
    });
    return best === undefined ? null : (values[best] ?? null);
  }
  const nonNull = values.filter((v) => v !== null);
  if (distinct) {
    const seen = new Set<string>();
    values = nonNull.filter((v) => {
      const k = rowKey([v]);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  } else values = nonNull;
  switch (name) {
    case 'count':
      return values.length;
    case 'approx_distinct':
      return new Set(values.map((v) => rowKey([v]))).size;
    case 'count_if':
      return values.filter((v) => truth(v) === true).length;
    case 'sum': {
      if (!values.length) return null;
      const dbl = values.some((v) => v instanceof Dbl || (typeof v === 'number' && !Number.isInteger(v)));
      const s = values.reduce<number>((acc, v) => acc + num(v)!, 0);
      return dbl ? new Dbl(s) : s;
    }
    case 'avg':
      return values.length ? new Dbl(values.reduce<number>((acc, v) => acc + num(v)!, 0) / values.length) : null;
    case 'min':
    case 'max': {
      if (!values.length) return null;
      return values.reduce((m, v) => (name === 'max' ? (compare(v, m) > 0 ? v : m) : compare(v, m) < 0 ? v : m));
    }
    case 'arbitrary':
    case 'any_value':
      return values[0] ?? null;
    case 'bool_and':
    case 'every':
      return values.length ? values.every((v) => truth(v) === true) : null;
    case 'bool_or':
      return values.length ? values.some((v) => truth(v) === true) : null;
    case 'array_agg':
      return evalArg(0);
    case 'approx_percentile': {
      if (!values.length) return null;
      const p = num(ev(args[1], c))!;
      const sorted = [...values].sort(compare);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))] ?? null;
    }
    default:
      throw new QueryError(`Function ${name} not registered`);
  }
}

export { cmpValues };
