/**
 * Runs a compiled event pattern against an event, as EventBridge matches
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html).
 *
 * The event is seen as its leaves: every string, number, boolean and null, at its dotted path
 * (array elements sit at the array's path). Objects and empty arrays are no leaves, so a field that
 * holds an object never matches a value and counts as absent. A field passes when one of its leaves
 * passes one of its tests; when several fields are reached through the same array, the leaves must
 * come from the same element of it (AWS matches "array-consistently"). `{"exists": false}` passes
 * when the path has no leaf anywhere in the event.
 */
import type { Branch, CompiledPattern, FieldTest, Matcher } from './types.ts';
import { comparable, ipKey, wildcardMatches } from './values.ts';

/** The arrays a leaf was reached through, innermost first: a shared chain, so deep events cost linear space. */
type Trail = { id: number; index: number; up: Trail } | undefined;
type Leaf = { value: string | number | boolean | null; trail: Trail };
type Leaves = Map<string, Leaf[]>;

/** Flattened events, kept while the event object lives (dispatch tests one event against many rules). */
const flattened = new WeakMap<object, Leaves>();

export function matchCompiled(p: CompiledPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  let leaves = flattened.get(event);
  if (!leaves) {
    leaves = flatten(event);
    flattened.set(event, leaves);
  }
  const found = leaves;
  return p.branches.some((b) => branchMatches(b, found));
}

/** The leaves of the event by path, each with the (array, index) pairs it was reached through. */
function flatten(event: object): Leaves {
  const out: Leaves = new Map();
  let arrays = 0;
  // an explicit stack: events may nest deeper than the call stack allows
  const stack: { value: unknown; path: string; trail: Trail }[] = [{ value: event, path: '', trail: undefined }];
  while (stack.length) {
    const { value, path, trail } = stack.pop() as { value: unknown; path: string; trail: Trail };
    if (Array.isArray(value)) {
      const id = arrays++;
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path, trail: { id, index: i, up: trail } });
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: path ? `${path}.${k}` : k, trail });
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      const list = out.get(path);
      if (list) list.push({ value, trail });
      else out.set(path, [{ value, trail }]);
    }
  }
  return out;
}

function branchMatches(branch: Branch, leaves: Leaves): boolean {
  const candidates: Leaf[][] = [];
  for (const field of branch) {
    const at = leaves.get(field.path) ?? [];
    if (!at.length) {
      if (field.absent) continue;
      return false;
    }
    const passing = at.filter((l) => fieldPasses(field, l));
    if (!passing.length) return false;
    candidates.push(passing);
  }
  candidates.sort((a, b) => a.length - b.length);
  return consistent(candidates, 0, new Map());
}

const fieldPasses = (field: FieldTest, leaf: Leaf) => field.matchers.some((m) => testLeaf(m, leaf.value));

/** Can one leaf per field be picked so that every array passed through is at one index? */
function consistent(fields: Leaf[][], i: number, fixed: Map<number, number>): boolean {
  if (i === fields.length) return true;
  for (const leaf of fields[i] as Leaf[]) {
    const added: number[] = [];
    let ok = true;
    for (let t = leaf.trail; t; t = t.up) {
      const had = fixed.get(t.id);
      if (had === undefined) {
        fixed.set(t.id, t.index);
        added.push(t.id);
      } else if (had !== t.index) {
        ok = false;
        break;
      }
    }
    if (ok && consistent(fields, i + 1, fixed)) return true;
    for (const id of added) fixed.delete(id);
  }
  return false;
}

/**
 * One test on one leaf. Anything-but tests pass every leaf they do not exclude (other types included).
 * SNS filter policies use it for the operators whose meaning is the same (docs/event-patterns.md#sns-filter-policies).
 */
export function testLeaf(m: Matcher, v: string | number | boolean | null): boolean {
  switch (m.kind) {
    case 'string':
      return typeof v === 'string' && (v === m.value || (m.ip !== undefined && ipKey(v) === m.ip));
    case 'number':
      return typeof v === 'number' && ((m.value !== undefined && comparable(v) === m.value) || String(v) === m.text);
    case 'literal':
      return v === m.value;
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase() : v).startsWith(m.value);
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase() : v).endsWith(m.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value;
    case 'wildcard':
      return typeof v === 'string' && wildcardMatches(m.wildcard, v);
    case 'anything-but':
      if (typeof v === 'string') return !m.strings.has(v);
      if (typeof v === 'number') {
        const c = comparable(v);
        return c === undefined || !m.numbers.has(c);
      }
      return true;
    case 'anything-but-ignore-case':
      return typeof v !== 'string' || !m.values.has(v.toLowerCase());
    case 'anything-but-prefix':
      return typeof v !== 'string' || !m.values.some((p) => v.startsWith(p));
    case 'anything-but-suffix':
      return typeof v !== 'string' || !m.values.some((s) => v.endsWith(s));
    case 'anything-but-wildcard':
      return typeof v !== 'string' || !m.wildcards.some((w) => wildcardMatches(w, v));
    case 'numeric': {
      if (typeof v !== 'number') return false;
      const c = comparable(v);
      if (c === undefined) return false;
      if (m.low !== undefined && (m.lowOpen ? c <= m.low : c < m.low)) return false;
      if (m.high !== undefined && (m.highOpen ? c >= m.high : c > m.high)) return false;
      return true;
    }
    case 'cidr': {
      if (typeof v !== 'string') return false;
      const key = ipKey(v);
      return key !== undefined && key.length === m.range.low.length && key >= m.range.low && key <= m.range.high;
    }
    case 'exists':
      return true;
    case 'absent':
      return false;
  }
}
