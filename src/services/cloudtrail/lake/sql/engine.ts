/**
 * Evaluating a Lake query (docs/lake.md#sql): the parsed SELECT (parse.ts) runs over the rows of the
 * event data stores it names, loaded by the caller (queries.ts reads only the stores of the caller's
 * account, with bound parameters); nothing else is reachable. Semantics follow Trino's
 * (https://trino.io/docs/current/sql/select.html): three-valued logic, NULLS LAST, GROUP BY
 * ordinals, HAVING, DISTINCT, ORDER BY output names or ordinals, LIMIT/OFFSET, WITH, sub-queries in
 * FROM and expressions (IN, scalar, EXISTS, correlated), UNION/INTERSECT/EXCEPT [ALL], INNER/LEFT/
 * RIGHT/FULL/CROSS JOIN, CROSS JOIN UNNEST, and Lake's functions (functions.ts). Timestamps compare
 * with string literals ('2024-01-01 00:00:00'); names are matched case-insensitively.
 *
 * Evaluation streams (docs/lake.md#evaluation): a store is read once, row by row, through a
 * `StoreSource` that the runner backs with paged reads; WHERE, aggregation (one accumulator per
 * aggregate and group), LIMIT without ORDER BY (the read stops) and ORDER BY … LIMIT k (only the top
 * k rows are kept) never hold the store in memory. The source is told which columns the statement
 * names and the eventtime bounds its WHERE implies (`ScanHint`), so only those records are read and
 * only those columns built. The right side of a JOIN and set operations are materialized.
 */
import { Accumulator, AGGREGATES } from './aggregates.ts';
import { cell, compare, rowKey, truth } from './compare.ts';
import { QueryError, SCALARS, cmpValues, like, num, str, ts, typeName } from './functions.ts';
import { addMonths } from './functions.ts';
import type { Ast } from './parse.ts';
import { functionName, subquery } from './parse.ts';
import { columnPath, referencedColumns, type ScanHint, scanBounds, storeOrder } from './scan.ts';
import { Dbl, Interval, LAKE_COLUMNS, SqlMap, Struct, Ts, type Value, parseTimestamp } from './values.ts';

export { AGGREGATES, cell, QueryError, type ScanHint };

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
  columns: readonly string[];
  /** the same, for name resolution: a store row built with only the named columns still has them all */
  names: ReadonlySet<string>;
}
interface Env {
  bindings: Binding[];
  outer: Env | null;
}
interface Ctx {
  env: Env;
  /** the values of the aggregates of the group being evaluated */
  aggs?: Map<Ast, Value>;
  run: Runner;
}

/** A store's rows: a list, or a function that reads them (again on every call) as the hint allows. */
export type StoreSource = Iterable<Struct> | ((hint: ScanHint) => Iterable<Struct>);

/** What a query reads: each named store's rows. */
export type StoreRows = Map<string, StoreSource>;

const EMPTY_ENV: Env = { bindings: [], outer: null };
const LAKE_NAMES: ReadonlySet<string> = new Set(LAKE_COLUMNS);

class Runner {
  readonly columns: ReadonlySet<string> | null;
  constructor(
    readonly stores: StoreRows,
    readonly now: number,
    ast: Ast,
  ) {
    this.columns = referencedColumns(ast);
  }
  readonly cache = new Map<Ast, Relation>();
  matched = 0;
}

/** Runs a parsed query: its columns and rows (values, not yet rendered). */
export function runQuery(ast: Ast, stores: StoreRows, now: number): QueryRelation {
  const run = new Runner(stores, now, ast);
  return { ...runSelect(ast, EMPTY_ENV, new Map(), run), matched: run.matched };
}

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

function* whereFilter(envs: Iterable<Env>, where: Ast, run: Runner, counts: boolean): Generator<Env> {
  for (const env of envs) {
    if (where && ev(where, { env, run }) !== true) continue;
    if (counts) run.matched++;
    yield env;
  }
}

/** The aggregate calls of a SELECT's expressions (not inside sub-queries, which aggregate on their own). */
function aggregateNodes(roots: Ast[]): Ast[] {
  const out: Ast[] = [];
  const walk = (n: Ast): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (subquery(n)) return;
    if (n.type === 'aggr_func' || (n.type === 'function' && AGGREGATES.has(functionName(n)))) {
      if (!out.includes(n)) out.push(n);
      return;
    }
    for (const k in n) {
      const v = n[k];
      if (v && typeof v === 'object') walk(v);
    }
  };
  for (const r of roots) walk(r);
  return out;
}

function runCore(s: Ast, outer: Env, ctes: Map<string, Relation>, run: Runner, orderAndLimit: boolean): Relation {
  const from: Ast[] = s.from ?? [];
  const readsStore = from.some(
    (f: Ast) => f.table !== undefined && !f.expr && !ctes.has(String(f.table).toLowerCase()) && run.stores.has(String(f.table).toLowerCase()),
  );
  const columns: Ast[] = Array.isArray(s.columns) ? s.columns : [];
  const groupExprs: Ast[] = s.groupby ? (Array.isArray(s.groupby) ? s.groupby : (s.groupby.columns ?? [])) : [];
  const aggregated =
    groupExprs.length > 0 || columns.some((c) => hasAggregate(c.expr)) || hasAggregate(s.having) || (s.orderby ?? []).some((o: Ast) => hasAggregate(o.expr));
  const distinct = s.distinct?.type === 'DISTINCT' || s.distinct === 'DISTINCT';
  // ORDER BY eventtime … LIMIT over one store: read it in that order, and stop once the LIMIT is met
  const timeOrder =
    orderAndLimit && !distinct && !aggregated && limitBounds(s.limit)
      ? storeOrder(s, (table) => !ctes.has(table) && typeof run.stores.get(table) === 'function')
      : undefined;
  let envs: Iterable<Env> = fromClause(from, s.where, outer, ctes, run, timeOrder);
  if (s.where || readsStore) envs = whereFilter(envs, s.where, run, readsStore);
  let contexts: Iterable<Ctx>;
  if (aggregated) {
    const keyed = groupExprs.map((g) => groupTarget(g, columns));
    const nodes = aggregateNodes([columns.map((c) => c.expr), s.having, (s.orderby ?? []).map((o: Ast) => o.expr)]);
    const groups = new Map<string, { env: Env; accs: Accumulator<Env>[] }>();
    for (const env of envs) {
      const key = keyed.length ? rowKey(keyed.map((g) => ev(g, { env, run }))) : '';
      let g = groups.get(key);
      if (!g) {
        g = { env, accs: nodes.map((n) => new Accumulator<Env>(n, (x, env) => ev(x, { env, run }))) };
        groups.set(key, g);
      }
      for (const acc of g.accs) acc.add(env);
    }
    if (!groupExprs.length && !groups.size)
      groups.set('', { env: { bindings: [], outer }, accs: nodes.map((n) => new Accumulator<Env>(n, (x, env) => ev(x, { env, run }))) });
    let list: Ctx[] = [...groups.values()].map((g) => ({ env: g.env, aggs: new Map(nodes.map((n, i) => [n, g.accs[i]!.result()])), run }));
    if (s.having) list = list.filter((c) => ev(s.having, c) === true);
    contexts = list;
  } else {
    contexts = (function* () {
      for (const env of envs) yield { env, run };
    })();
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
  const project = (ctx: Ctx): OutRow => {
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
  };
  const bounds = orderAndLimit ? limitBounds(s.limit) : undefined;
  const ordered = orderAndLimit && s.orderby?.length > 0;
  const seen = new Set<string>();
  const isNew = (r: OutRow) => {
    const k = rowKey(r.vals);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  let rows: OutRow[] = [];
  if (ordered) {
    // the names ORDER BY may use are known once a row is projected (SELECT *); a top-k heap of sort keys otherwise
    const keep = bounds && !distinct ? bounds.offset + bounds.count : undefined;
    let keyed: { row: OutRow; keys: Value[]; i: number }[] = [];
    let i = 0;
    // read in eventtime order: the rows past the LIMIT's last eventtime can go unread
    let boundary: Value | undefined;
    for (const ctx of contexts) {
      const row = project(ctx);
      const outNames = exprs.some((x) => x.star) ? starNames! : names;
      const keys = sortKeys(row, s.orderby, outNames, columns);
      if (timeOrder && keep !== undefined) {
        if (boundary !== undefined && compare(keys[0] ?? null, boundary) !== 0) break;
        // newest first arrives seq-descending: ties get their place as a full read in seq order gives it
        keyed.push({ row, keys, i: timeOrder === 'desc' ? -i++ : i++ });
        if (keyed.length === keep) boundary = keys[0] ?? null;
        continue;
      }
      keyed.push({ row, keys, i: i++ });
      if (keep !== undefined && keyed.length > 2 * keep + 1024) keyed = sortKeyed(keyed, s.orderby).slice(0, keep);
    }
    rows = sortKeyed(keyed, s.orderby).map((k) => k.row);
    if (distinct) rows = rows.filter(isNew);
  } else {
    const want = bounds ? bounds.offset + bounds.count : Number.POSITIVE_INFINITY;
    if (want > 0) {
      for (const ctx of contexts) {
        const row = project(ctx);
        if (distinct && !isNew(row)) continue;
        rows.push(row);
        // LIMIT without ORDER BY: the read stops here
        if (rows.length >= want) break;
      }
    }
  }
  const outNames = exprs.some((x) => x.star) ? (starNames ?? starColumns(exprs, from, ctes, names)) : names;
  if (bounds) rows = rows.slice(bounds.offset, bounds.offset + bounds.count);
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

/** A row's ORDER BY keys: an ordinal or an output name picks an output value, anything else is evaluated in the row's context. */
function sortKeys(r: OutRow, orderby: Ast[], names: string[], columns?: Ast[]): Value[] {
  return orderby.map((o: Ast) => {
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
  });
}

/** Sorts by the keys (NULLS LAST unless asked), ties in arrival order. */
function sortKeyed<T extends { keys: Value[]; i: number }>(rows: T[], orderby: Ast[]): T[] {
  const desc = orderby.map((o) => String(o.type ?? 'ASC').toUpperCase() === 'DESC');
  const nullsFirst = orderby.map((o) => /FIRST/i.test(String(o.nulls ?? '')));
  return rows.sort((a, b) => {
    for (let k = 0; k < orderby.length; k++) {
      const x = a.keys[k] ?? null;
      const y = b.keys[k] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst[k] ? -1 : 1;
      }
      const c = compare(x, y);
      if (c !== 0) return desc[k] ? -c : c;
    }
    return a.i - b.i;
  });
}

function sortRows(rows: OutRow[], orderby: Ast[], names: string[], columns?: Ast[]): OutRow[] {
  return sortKeyed(
    rows.map((row, i) => ({ row, keys: sortKeys(row, orderby, names, columns), i })),
    orderby,
  ).map((k) => k.row);
}

/** LIMIT n [OFFSET m], LIMIT m, n, OFFSET m LIMIT n: undefined when there is none. */
function limitBounds(limit: Ast): { offset: number; count: number } | undefined {
  const v = limit?.value ?? [];
  if (!v.length) return undefined;
  const n = (x: Ast) => {
    const k = Number(x?.value);
    if (!Number.isInteger(k) || k < 0) throw new QueryError('LIMIT and OFFSET take non-negative integers');
    return k;
  };
  if (limit.seperator === 'offset') return { offset: v[1] ? n(v[1]) : 0, count: n(v[0]) };
  if (limit.seperator === ',') return { offset: n(v[0]), count: n(v[1]) };
  return { offset: 0, count: n(v[0]) };
}

function limitRows<T>(rows: T[], limit: Ast): T[] {
  const b = limitBounds(limit);
  return b ? rows.slice(b.offset, b.offset + b.count) : rows;
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
  return { name: b.name, columns: b.columns, names: b.names, value: new Struct(new Map(b.columns.map((c) => [c, null]))) };
}

function fromClause(from: Ast[], where: Ast, outer: Env, ctes: Map<string, Relation>, run: Runner, order?: 'asc' | 'desc'): Iterable<Env> {
  if (!from.length) return [{ bindings: [], outer }];
  let envs: Iterable<Env> = [{ bindings: [], outer }];
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
    const alias = crossAlias ? null : f.as;
    // the first item streams, with the eventtime bounds of the WHERE; a joined one is read whole
    const right = relationRows(f, alias, outer, ctes, run, i === 0 ? where : undefined, i === 0 ? order : undefined);
    envs = i === 0 ? firstItem(envs, right.rows) : joinEnvs(envs, [...right.rows], right.nulls, join, f.on, run, leftNulls, outer);
    leftNulls = [...leftNulls, right.nulls];
  }
  return envs;
}

function* firstItem(envs: Iterable<Env>, rows: Iterable<Binding>): Generator<Env> {
  for (const env of envs) for (const b of rows) yield { bindings: [...env.bindings, b], outer: env.outer };
}

function* unnest(f: Ast, envs: Iterable<Env>, run: Runner, join: string): Generator<Env> {
  const { name, columns } = unnestAlias(f.as);
  const args: Ast[] = f.expr.args?.value ?? [];
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
      const cols = [...fields.keys()];
      yield { bindings: [...env.bindings, { name, value: new Struct(fields), columns: cols, names: new Set(cols) }], outer: env.outer };
    }
    if (!len && join.startsWith('LEFT')) yield env;
  }
}

/**
 * The rows a FROM item stands for, each as a binding, and the binding of nulls an outer join pads
 * with. A store is read through its source with the statement's columns and, for the first FROM
 * item, the eventtime bounds of `where`.
 */
function relationRows(
  f: Ast,
  alias: unknown,
  outer: Env,
  ctes: Map<string, Relation>,
  run: Runner,
  where?: Ast,
  order?: 'asc' | 'desc',
): { rows: Iterable<Binding>; nulls: Binding } {
  const sub = subquery(f.expr);
  const name = alias ? String(alias).toLowerCase() : f.table !== undefined && !f.expr ? String(f.table).toLowerCase() : null;
  if (sub) return relationBindings(runSelect(sub, outer, ctes, run), name);
  if (f.expr) throw new QueryError('Only tables, sub-queries and UNNEST may appear in FROM');
  const table = String(f.table).toLowerCase();
  const cte = ctes.get(table);
  if (cte) return relationBindings(cte, name);
  const source = run.stores.get(table);
  if (!source) throw new QueryError(`Event data store ${f.table} does not exist`);
  const columns = LAKE_COLUMNS as readonly string[];
  const hint: ScanHint = {
    ...(where ? scanBounds(where, new Set([name ?? table, table]), (x) => ts(ev(x, { env: EMPTY_ENV, run })) ?? undefined) : {}),
    columns: run.columns,
    ...(order ? { order } : {}),
  };
  const structs = typeof source === 'function' ? source(hint) : source;
  const rows = (function* () {
    for (const value of structs) yield { name, value, columns, names: LAKE_NAMES };
  })();
  return { rows, nulls: nullBinding({ name, columns, names: LAKE_NAMES, value: new Struct(new Map()) }) };
}

function relationBindings(rel: Relation, name: string | null): { rows: Binding[]; nulls: Binding } {
  const names = new Set(rel.columns);
  return {
    rows: rel.rows.map((r) => ({ name, columns: rel.columns, names, value: new Struct(new Map(rel.columns.map((c, i) => [c, r[i] ?? null]))) })),
    nulls: nullBinding({ name, columns: rel.columns, names, value: new Struct(new Map()) }),
  };
}

function* joinEnvs(
  left: Iterable<Env>,
  right: Binding[],
  rightNulls: Binding,
  join: string,
  on: Ast,
  run: Runner,
  leftNulls: Binding[],
  outer: Env,
): Generator<Env> {
  const matchedRight = new Set<number>();
  const outerLeft = join.startsWith('LEFT') || join.startsWith('FULL');
  for (const env of left) {
    let matched = false;
    for (let j = 0; j < right.length; j++) {
      const merged = { bindings: [...env.bindings, right[j]!], outer: env.outer };
      if (on && ev(on, { env: merged, run }) !== true) continue;
      matched = true;
      matchedRight.add(j);
      yield merged;
    }
    if (!matched && outerLeft) yield { bindings: [...env.bindings, rightNulls], outer: env.outer };
  }
  if (join.startsWith('RIGHT') || join.startsWith('FULL')) {
    for (let j = 0; j < right.length; j++) if (!matchedRight.has(j)) yield { bindings: [...leftNulls, right[j]!], outer };
  }
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
    if (e.bindings.some((b) => b.names.has(path[0]!))) return true;
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
    const b = e.bindings.find((x) => x.names.has(path[0]!));
    if (b) return path.reduce<Value>((v, p) => field(v, p, whole), b.value);
  }
  throw new QueryError(`Column '${whole}' cannot be resolved`);
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

function aggregate(name: string, _args: Ast[], _distinct: boolean, n: Ast, c: Ctx): Value {
  if (!c.aggs) throw new QueryError(`'${name}' must be an aggregate expression or appear in GROUP BY clause`);
  if (!c.aggs.has(n)) throw new QueryError(`Cannot nest aggregations inside aggregation '${name}'`);
  return c.aggs.get(n) ?? null;
}

export { cmpValues };
