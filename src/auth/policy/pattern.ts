/**
 * Policy variables and `*`/`?` patterns. Variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ; wildcards:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html.
 * A pattern becomes tokens: `text` from the policy, where `*` and `?` are wildcards, and `literal` from a
 * substituted variable or an escape (`${*}`, `${?}`, `${$}`), which only ever match themselves — a user name
 * or tag value containing `*` must not widen a grant.
 */

export type Token = { kind: 'text' | 'literal'; text: string };
/** Looks a condition key up case-insensitively; arrays are multi-valued keys. */
export type KeyLookup = (name: string) => string | string[] | undefined;

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };
// `${key}` or `${key, 'default'}` (VAR: "${aws:PrincipalTag/team, 'company-wide'}").
const VARIABLE = /^\s*([^\s,'}]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/**
 * Splits `value` into tokens, substituting `${...}` when `enabled` (Version 2012-10-17 only; otherwise the
 * text is literal, VAR). Returns null when a variable has no value and no default: the caller treats that
 * pattern as matching nothing (VAR: missing key → null).
 */
export function expand(value: string, lookup: KeyLookup, enabled: boolean): Token[] | null {
  if (!enabled || !value.includes('${')) return [{ kind: 'text', text: value }];
  const out: Token[] = [];
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    const end = start < 0 ? -1 : value.indexOf('}', start);
    if (start < 0 || end < 0) {
      out.push({ kind: 'text', text: value.slice(i) });
      break;
    }
    if (start > i) out.push({ kind: 'text', text: value.slice(i, start) });
    const inner = value.slice(start + 2, end);
    const escaped = ESCAPES[inner.trim()];
    const m = VARIABLE.exec(inner);
    if (escaped !== undefined) out.push({ kind: 'literal', text: escaped });
    else if (!m) out.push({ kind: 'text', text: value.slice(start, end + 1) });
    else {
      const v = lookup(m[1]!);
      // Only single-valued keys can be variables (VAR); a multi-valued one counts as absent.
      const resolved = typeof v === 'string' ? v : m[2];
      if (resolved === undefined) return null;
      out.push({ kind: 'literal', text: resolved });
    }
    i = end + 1;
  }
  return out;
}

export const tokensToString = (tokens: Token[]): string => tokens.map((t) => t.text).join('');

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Regex source where policy-text `*` is any run (also across `/` and `:`) and `?` is one character. */
function tokensToRegExpSource(tokens: Token[]): string {
  return tokens
    .map((t) =>
      t.kind === 'literal'
        ? escapeRe(t.text)
        : t.text
            .split('')
            .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRe(c)))
            .join(''),
    )
    .join('');
}

const cache = new Map<string, RegExp>();
/** Compiled regexes are cached because the same policies are evaluated on every request. */
function compiled(source: string, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? 'i' : 's') + source;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Whole-string match of a pattern without variables. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  return pattern === '*' || compiled(tokensToRegExpSource([{ kind: 'text', text: pattern }]), ignoreCase).test(value);
}

/** Whole-string match of expanded tokens (patterns that contained variables). */
export function tokensMatch(tokens: Token[], value: string, ignoreCase = false): boolean {
  return compiled(tokensToRegExpSource(tokens), ignoreCase).test(value);
}

/** Splits tokens at `:` found in policy text (not in substituted values), at most `limit` parts; the last part keeps the rest. */
export function splitTokens(tokens: Token[], limit: number): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'literal') {
      parts[parts.length - 1]!.push(t);
      continue;
    }
    const pieces = t.text.split(':');
    pieces.forEach((p, idx) => {
      if (idx > 0) {
        if (parts.length < limit) parts.push([]);
        else parts[parts.length - 1]!.push({ kind: 'text', text: ':' });
      }
      if (p) parts[parts.length - 1]!.push({ kind: 'text', text: p });
    });
  }
  return parts;
}
