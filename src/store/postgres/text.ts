/**
 * PostgreSQL `text` cannot hold U+0000 (NUL): it refuses the whole statement ("invalid byte
 * sequence for encoding UTF8: 0x00"), while SQLite, the wire and CloudTrail's JSON all carry it.
 * A NUL can arrive in any string a request carries (an operation name, a project description, an
 * S3 key, a lookup value), so every string that crosses the PostgreSQL driver goes through one
 * reversible escape, applied to every query parameter and undone on every string in a result row:
 *
 *   U+0000 → U+0001 U+0001      U+0001 → U+0001 U+0002      every other code point unchanged
 *
 * The escape is injective and maps concatenation to concatenation, so equality, prefix (`LIKE
 * 'p%'`) and byte-order comparisons (the database's C collation) give the same answers on escaped
 * strings as on the originals: NUL still sorts first, then U+0001, then U+0002. Strings with neither
 * character — nearly all — pass untouched after one scan. A record's JSON text never holds either
 * raw (JSON escapes control characters), so stored records stay byte-identical to SQLite's.
 * See docs/edge-characters.md.
 */
import type pg from 'pg';

const NEEDS_ESCAPE = /[\u0000\u0001]/;
const ESCAPED = /\u0001[\u0001\u0002]/g;

export function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002'));
}

export function unescapeText(s: string): string {
  if (!s.includes('\u0001')) return s;
  return s.replace(ESCAPED, (m) => (m === '\u0001\u0001' ? '\u0000' : '\u0001'));
}

const escapeParam = (v: unknown): unknown => (typeof v === 'string' ? escapeText(v) : v);

function unescapeRows(rows: Record<string, unknown>[] | undefined): void {
  if (!rows) return;
  for (const row of rows) {
    for (const k in row) {
      const v = row[k];
      if (typeof v === 'string' && v.includes('\u0001')) row[k] = unescapeText(v);
    }
  }
}

/** The subset of a pool Kysely's PostgresDialect uses, with every string escaped on the way in and out. */
export interface TextSafePool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

export function textSafePool(pool: pg.Pool): TextSafePool {
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = wrapClient(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

/** A client whose `query(text, values)` escapes the values and unescapes the result rows; cursors and configs pass through. */
function wrapClient(client: pg.PoolClient): pg.PoolClient {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return (text: unknown, values?: unknown[], ...rest: unknown[]) => {
        if (typeof text !== 'string') return query(text, values, ...rest);
        const r = query(text, values?.map(escapeParam), ...rest) as Promise<{ rows?: Record<string, unknown>[] }>;
        return r.then((res) => {
          unescapeRows(res.rows);
          return res;
        });
      };
    },
  });
}
