/**
 * Parsing a Lake query (docs/lake.md#sql): Lake's dialect is Trino's SELECT
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html). The text is
 * parsed by node-sql-parser's Trino grammar, or, for what that grammar lacks (INTERSECT, EXCEPT,
 * EXISTS, scalar sub-queries), its PostgreSQL one; nothing but one SELECT is accepted. Event data
 * store ids (UUIDs) may be written bare in FROM, as Lake allows: they are quoted before parsing.
 * Checking walks the tree: every table it names is an event data store id or a WITH name, and every
 * function is one engine.ts evaluates.
 */
import nodeSqlParser from 'node-sql-parser';
import { invalidQueryStatement } from '../../errors.ts';
import { AGGREGATES } from './aggregates.ts';
import { FUNCTIONS } from './functions.ts';

const { Parser } = nodeSqlParser;
const parser = new Parser();
// biome-ignore lint/suspicious/noExplicitAny: node-sql-parser's AST is untyped JSON
export type Ast = any;

export const MAX_STATEMENT = 10_000;

/** Quotes bare UUIDs outside literals and quoted identifiers. */
export function quoteStoreIds(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      out += j < 0 ? sql.slice(i) : sql.slice(i, j);
      i = j < 0 ? sql.length : j;
      continue;
    }
    const m = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/.exec(sql.slice(i));
    if (m && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      out += `"${m[0]}"`;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function astify(sql: string, database: string): Ast {
  return parser.astify(sql, { database });
}

export interface ParsedQuery {
  ast: Ast;
  /** the event data store ids FROM names (lowercase) */
  stores: string[];
}

/** Parses and checks a statement; throws InvalidQueryStatementException. */
export function parseQuery(statement: string): ParsedQuery {
  if (!statement.trim()) throw invalidQueryStatement('The query statement is empty.');
  if (statement.length > MAX_STATEMENT) throw invalidQueryStatement(`The query statement is longer than ${MAX_STATEMENT} characters.`);
  const text = quoteStoreIds(statement.trim().replace(/;\s*$/, ''));
  let ast: Ast;
  try {
    ast = astify(text, 'trino');
  } catch (e) {
    try {
      ast = astify(text, 'postgresql');
    } catch {
      throw invalidQueryStatement(`Query statement syntax error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw invalidQueryStatement('Only one SQL statement is allowed in a query.');
    ast = ast[0];
  }
  if (ast?.type !== 'select')
    throw invalidQueryStatement(`Only SELECT statements are supported; ${String(ast?.type ?? 'this').toUpperCase()} statements are not allowed.`);
  const stores = new Set<string>();
  checkSelect(ast, new Set(), stores);
  if (!stores.size) throw invalidQueryStatement('The query must select FROM an event data store (its ID).');
  return { ast, stores: [...stores] };
}

const isSelect = (n: Ast) => n && typeof n === 'object' && n.type === 'select';
/** A sub-query node as the parser writes it inside expressions and FROM: { ast } */
export const subquery = (n: Ast): Ast | undefined => (n && typeof n === 'object' && isSelect(n.ast) ? n.ast : undefined);

function checkSelect(s: Ast, ctes: Set<string>, stores: Set<string>): void {
  const names = new Set(ctes);
  for (const w of s.with ?? []) {
    const inner = subquery(w.stmt) ?? w.stmt;
    checkSelect(inner, names, stores);
    names.add(String(w.name?.value ?? w.name).toLowerCase());
  }
  for (let cur = s; cur; cur = cur._next) {
    if (!isSelect(cur)) throw invalidQueryStatement('Only SELECT statements are supported.');
    if (cur.into?.position) throw invalidQueryStatement('SELECT INTO is not supported.');
    for (const f of cur.from ?? []) {
      const sub = subquery(f.expr);
      if (sub) checkSelect(sub, names, stores);
      else if (f.expr) checkExpr(f.expr, names, stores);
      else if (f.table !== undefined) {
        if (f.db) throw invalidQueryStatement(`Table ${f.db}.${f.table} is not an event data store.`);
        const t = String(f.table).toLowerCase();
        if (!names.has(t)) stores.add(t);
      }
      if (f.on) checkExpr(f.on, names, stores);
    }
    for (const c of Array.isArray(cur.columns) ? cur.columns : []) checkExpr(c.expr, names, stores);
    checkExpr(cur.where, names, stores);
    checkExpr(cur.groupby?.columns ?? cur.groupby, names, stores);
    checkExpr(cur.having, names, stores);
    for (const o of cur.orderby ?? []) checkExpr(o.expr, names, stores);
  }
}

/** Function name of a `function` node, lowercase. */
export function functionName(n: Ast): string {
  const parts = n.name?.name ?? [];
  return parts
    .map((p: Ast) => String(p.value))
    .join('.')
    .toLowerCase();
}

function checkExpr(n: Ast, ctes: Set<string>, stores: Set<string>): void {
  if (n === null || n === undefined || typeof n !== 'object') return;
  if (Array.isArray(n)) {
    for (const x of n) checkExpr(x, ctes, stores);
    return;
  }
  const sub = subquery(n);
  if (sub) {
    checkSelect(sub, ctes, stores);
    return;
  }
  if (n.type === 'function') {
    const name = functionName(n);
    if (n.over) throw invalidQueryStatement(`Window functions are not supported: ${name}.`);
    if (!FUNCTIONS.has(name) && !AGGREGATES.has(name) && name !== 'exists') throw invalidQueryStatement(`Function ${name} not registered`);
  }
  if (n.type === 'aggr_func') {
    const name = String(n.name).toLowerCase();
    if (n.over) throw invalidQueryStatement(`Window functions are not supported: ${name}.`);
    if (!AGGREGATES.has(name)) throw invalidQueryStatement(`Function ${name} not registered`);
  }
  for (const v of Object.values(n)) if (v && typeof v === 'object') checkExpr(v, ctes, stores);
}
