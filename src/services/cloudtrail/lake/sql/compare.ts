/**
 * Comparing and keying Lake values (docs/lake.md#values): Trino's comparison with Lake's coercions,
 * three-valued truth, a row's key for DISTINCT / GROUP BY / set operations, and a value as a result cell.
 */
import { num, QueryError, ts, typeName } from './functions.ts';
import { Dbl, render, Ts, type Value } from './values.ts';

/** A result value as GetQueryResults shows it: a string (null → ''). */
export const cell = (v: Value): string => render(v) ?? '';

/** A key equal for rows of equal values (DISTINCT, GROUP BY, set operations): each value's kind and text, length-prefixed. */
export function rowKey(vals: Value[]): string {
  let k = '';
  for (const v of vals) {
    if (v === null) k += 'n;';
    else {
      const t = cell(v);
      k += `${typeof v === 'object' ? 'o' : typeof v === 'string' ? 's' : typeof v === 'number' ? 'd' : 'b'}${t.length}:${t}`;
    }
  }
  return k;
}

export function truth(v: Value): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new QueryError(`${typeName(v)} value used as a condition`);
}

/** Trino comparison with Lake's coercions: timestamps with strings, numbers with numeric strings, booleans with 'true'/'false'. */
export function compare(a: Value, b: Value): number {
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
