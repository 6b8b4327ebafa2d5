/** Raw query/header access helpers for the SigV4 verifier (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */

export type QueryBag = Record<string, string | string[]>;

/** Decodes %XX escapes; '+' stays '+' (SigV4 is not form-encoding). Malformed escapes are kept as sent. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits on '&' and the first '='; decoded keys and values, repeated keys become arrays. */
export function parseQuery(rawQuery: string): QueryBag {
  const out: QueryBag = Object.create(null) as QueryBag;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** First value of a query parameter or header (arrays come from repeats). */
export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** All values of a header joined as SigV4 wants them: arrival order, each trimmed, ','-separated. */
export function joined(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.map((x) => x.trim()).join(',') : v;
}
