/**
 * The CloudWatch Logs filter-pattern language of metric filters, subscription filters and
 * FilterLogEvents: term patterns, JSON patterns `{ … }`, space-delimited patterns `[ … ]` and regexes
 * `%…%`, as docs/logs-patterns.md describes them, after
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * Pure: no store, no clock.
 */
import { type DelimitedField, matchDelimited, parseDelimitedPattern } from './delimited.ts';
import { FilterPatternError } from './errors.ts';
import { evalJson, type JsonExpr, parseJsonPattern, parseSelector, resolvePath, scalarText } from './json.ts';
import { matchTerms, parseTermPattern, type TermPattern } from './terms.ts';
import { numeric } from './values.ts';

export { FilterPatternError, INVALID_PATTERN_MESSAGE } from './errors.ts';

export type FilterPattern =
  | { kind: 'all' }
  | { kind: 'terms'; terms: TermPattern }
  | { kind: 'json'; expr: JsonExpr }
  | { kind: 'delimited'; fields: DelimitedField[] };

export interface FilterMatch {
  /** a metric value spec: a number literal, `$.path` (JSON pattern), `$name` (space-delimited field); undefined when absent or not a number */
  value(spec: string): number | undefined;
  /** a dimension value spec (`$.path` / `$name`), as text; undefined when absent */
  text(spec: string): string | undefined;
}

export function parseFilterPattern(text: string): FilterPattern {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'all' };
  if (trimmed.startsWith('{')) {
    if (!trimmed.endsWith('}')) throw new FilterPatternError('JSON pattern without }');
    return { kind: 'json', expr: parseJsonPattern(trimmed.slice(1, -1)) };
  }
  if (trimmed.startsWith('[')) {
    if (!trimmed.endsWith(']')) throw new FilterPatternError('space-delimited pattern without ]');
    return { kind: 'delimited', fields: parseDelimitedPattern(trimmed.slice(1, -1)) };
  }
  return { kind: 'terms', terms: parseTermPattern(trimmed) };
}

/** Whether metric values and dimensions may name fields of the event (JSON and space-delimited patterns). */
export function hasFields(p: FilterPattern): boolean {
  return p.kind === 'json' || p.kind === 'delimited';
}

const LITERAL_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** PutMetricFilter's check that a metricValue / dimension spec fits the pattern; throws FilterPatternError. */
export function checkValueSpec(p: FilterPattern, spec: string): void {
  if (LITERAL_NUMBER.test(spec)) return;
  if (p.kind === 'json' && spec.startsWith('$.')) {
    parseSelector(spec);
    return;
  }
  if (p.kind === 'delimited' && spec.startsWith('$') && p.fields.some((f) => f.k === 'field' && `$${f.name}` === spec)) return;
  throw new FilterPatternError(`value ${spec} does not fit the pattern`, 'Invalid metric value for filter pattern');
}

const NO_FIELDS: FilterMatch = {
  value: (spec) => (LITERAL_NUMBER.test(spec) ? Number(spec) : undefined),
  text: () => undefined,
};

export function matchFilterPattern(p: FilterPattern, message: string): FilterMatch | null {
  switch (p.kind) {
    case 'all':
      return NO_FIELDS;
    case 'terms':
      return matchTerms(p.terms, message) ? NO_FIELDS : null;
    case 'json': {
      const doc = parseJson(message);
      if (doc === undefined || !evalJson(p.expr, doc)) return null;
      return jsonMatch(doc);
    }
    case 'delimited': {
      const bound = matchDelimited(p.fields, message);
      return bound === null ? null : delimitedMatch(bound);
    }
  }
}

/** A JSON pattern matches only events whose whole message is a JSON object. */
function parseJson(message: string): object | undefined {
  const t = message.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const doc: unknown = JSON.parse(t);
    return doc !== null && typeof doc === 'object' ? doc : undefined;
  } catch {
    return undefined;
  }
}

function jsonMatch(doc: object): FilterMatch {
  const field = (spec: string): unknown => {
    if (!spec.startsWith('$.')) return undefined;
    try {
      const r = resolvePath(doc, parseSelector(spec));
      return r.found ? r.value : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    value(spec) {
      if (LITERAL_NUMBER.test(spec)) return Number(spec);
      const v = field(spec);
      if (typeof v === 'number') return v;
      return typeof v === 'string' ? numeric(v) : undefined;
    },
    text: (spec) => scalarText(field(spec)),
  };
}

function delimitedMatch(bound: Map<string, string>): FilterMatch {
  return {
    value(spec) {
      if (LITERAL_NUMBER.test(spec)) return Number(spec);
      const v = spec.startsWith('$') ? bound.get(spec.slice(1)) : undefined;
      return v === undefined ? undefined : numeric(v);
    },
    text: (spec) => (spec.startsWith('$') ? bound.get(spec.slice(1)) : undefined),
  };
}
