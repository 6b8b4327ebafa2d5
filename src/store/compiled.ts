/**
 * Queries of a fixed shape, compiled to SQL once (docs/performance.md#compiled-queries).
 *
 * Kysely builds an operation tree and compiles it to SQL text on every call; for the few queries
 * every request runs (the access key of its signature, a service's own read) that was most of
 * Kysely's share of a call. A query whose SQL text never depends on its arguments needs only its
 * parameters bound: `compiled` builds it once per dialect with placeholder arguments, records where
 * each placeholder lands among the compiled parameters, and each call runs the same SQL with the
 * call's values in those places. The builder must use every argument as a plain value (compared,
 * inserted, set), never to choose the query's shape, a list or an identifier; a builder that does
 * fails at its first call.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

type Slot = { arg: number } | { value: unknown };
interface Template {
  sql: string;
  slots: Slot[];
}

/** `build` compiled once per dialect; the returned function runs it with the call's arguments and resolves to its rows. */
export function compiled<A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>): (db: Kysely<DB>, ...args: A) => Promise<R[]> {
  const templates = new Map<unknown, Template>();
  return async (db, ...args) => {
    const dialect = db.getExecutor().adapter.constructor;
    let t = templates.get(dialect);
    if (!t) {
      t = template(db, build, args.length);
      templates.set(dialect, t);
    }
    const parameters = t.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(t.sql, parameters))).rows;
  };
}

function template<A extends unknown[]>(db: Kysely<DB>, build: (db: Kysely<DB>, ...args: A) => Compilable<unknown>, n: number): Template {
  const marks = Array.from({ length: n }, (_, i) => `\u0000compiled-argument-${i}\u0000`);
  const q = build(db, ...(marks as unknown as A)).compile();
  const seen = new Set<number>();
  const slots = q.parameters.map((p): Slot => {
    const i = typeof p === 'string' ? marks.indexOf(p) : -1;
    if (i < 0) return { value: p };
    seen.add(i);
    return { arg: i };
  });
  if (seen.size !== n || marks.some((m) => q.sql.includes(m))) {
    throw new Error(`compiled query: every argument must be a plain parameter of ${q.sql}`);
  }
  return { sql: q.sql, slots };
}
