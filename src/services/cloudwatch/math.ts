/**
 * Metric math (pure), the part of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html startrail
 * serves: numbers, query ids (`m1`), `+ - * /`, parentheses, unary minus, and the functions
 * METRICS() / METRICS('filter') (the request's MetricStat results, or those whose id contains the
 * filter), SUM, AVG, MIN, MAX (across an array of series: one series; over one series: a scalar),
 * ABS. Series combine by timestamp: an operation on two series has a point where both have one.
 */

export type Series = Map<number, number>;
export type MathValue = { kind: 'scalar'; value: number } | { kind: 'series'; points: Series } | { kind: 'array'; series: Series[] };

export class MathError extends Error {}

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'str'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new MathError('Unterminated string');
      out.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if ('+-*/(),'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    throw new MathError(`Unrecognized token ${c}`);
  }
  return out;
}

export interface MathEnv {
  /** the value of a query id (a MetricStat's series, or another expression's result) */
  lookup(id: string): MathValue | undefined;
  /** METRICS(filter): the series of the MetricStat queries, by id */
  metrics(filter?: string): Series[];
}

/** Evaluates `text`; throws MathError on a syntax error or an unknown id or function. */
export function evaluate(text: string, env: MathEnv): MathValue {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.t === 'op' && t.v === v;
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new MathError(`Expected ${v}`);
    pos++;
  };
  const expr = (): MathValue => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { v: string }).v;
      left = binary(op, left, term());
    }
    return left;
  };
  const term = (): MathValue => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { v: string }).v;
      left = binary(op, left, unary());
    }
    return left;
  };
  const unary = (): MathValue => {
    if (isOp('-')) {
      pos++;
      return binary('*', { kind: 'scalar', value: -1 }, unary());
    }
    return primary();
  };
  const primary = (): MathValue => {
    const t = tokens[pos++];
    if (!t) throw new MathError('Unexpected end of expression');
    if (t.t === 'num') return { kind: 'scalar', value: t.v };
    if (t.t === 'op' && t.v === '(') {
      const v = expr();
      expect(')');
      return v;
    }
    if (t.t === 'id') {
      if (isOp('(')) {
        pos++;
        const args: (MathValue | string)[] = [];
        while (!isOp(')')) {
          const a = peek();
          if (a?.t === 'str') {
            pos++;
            args.push(a.v);
          } else args.push(expr());
          if (isOp(',')) pos++;
          else if (!isOp(')')) throw new MathError('Expected ) or ,');
        }
        pos++;
        return call(t.v.toUpperCase(), args, env);
      }
      const v = env.lookup(t.v);
      if (!v) throw new MathError(`Unrecognized metric id ${t.v}`);
      return v;
    }
    throw new MathError(`Unexpected token ${t.v}`);
  };
  const v = expr();
  if (pos < tokens.length) throw new MathError(`Unexpected token ${String(tokens[pos]?.v)}`);
  return v;
}

function call(name: string, args: (MathValue | string)[], env: MathEnv): MathValue {
  if (name === 'METRICS') {
    const filter = args[0];
    if (args.length > 1 || (filter !== undefined && typeof filter !== 'string')) throw new MathError('METRICS takes one string argument');
    return { kind: 'array', series: env.metrics(filter) };
  }
  const [arg] = args;
  if (args.length !== 1 || arg === undefined || typeof arg === 'string') throw new MathError(`Invalid arguments to ${name}`);
  const reduce: Record<string, (xs: number[]) => number> = {
    SUM: (xs) => xs.reduce((a, b) => a + b, 0),
    AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
    MIN: (xs) => Math.min(...xs),
    MAX: (xs) => Math.max(...xs),
  };
  if (name === 'ABS') return map(arg, Math.abs);
  const f = reduce[name];
  if (!f) throw new MathError(`Unknown function ${name}`);
  if (arg.kind === 'scalar') return arg;
  if (arg.kind === 'series') {
    const xs = [...arg.points.values()];
    return xs.length ? { kind: 'scalar', value: f(xs) } : { kind: 'series', points: new Map() };
  }
  const byTime = new Map<number, number[]>();
  for (const s of arg.series) for (const [t, v] of s) byTime.set(t, [...(byTime.get(t) ?? []), v]);
  return { kind: 'series', points: new Map([...byTime].map(([t, xs]) => [t, f(xs)])) };
}

function map(v: MathValue, f: (x: number) => number): MathValue {
  if (v.kind === 'scalar') return { kind: 'scalar', value: f(v.value) };
  const one = (s: Series): Series => new Map([...s].map(([t, x]) => [t, f(x)]));
  return v.kind === 'series' ? { kind: 'series', points: one(v.points) } : { kind: 'array', series: v.series.map(one) };
}

function apply(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      return b === 0 ? undefined : a / b;
  }
}

function combine(op: string, a: Series, b: Series): Series {
  const out: Series = new Map();
  for (const [t, x] of a) {
    const y = b.get(t);
    if (y === undefined) continue;
    const r = apply(op, x, y);
    if (r !== undefined) out.set(t, r);
  }
  return out;
}

function withScalar(op: string, s: Series, k: number, scalarLeft: boolean): Series {
  const out: Series = new Map();
  for (const [t, x] of s) {
    const r = scalarLeft ? apply(op, k, x) : apply(op, x, k);
    if (r !== undefined) out.set(t, r);
  }
  return out;
}

function binary(op: string, a: MathValue, b: MathValue): MathValue {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    const r = apply(op, a.value, b.value);
    if (r === undefined) throw new MathError('Division by zero');
    return { kind: 'scalar', value: r };
  }
  if (a.kind === 'array' || b.kind === 'array') {
    const arr = a.kind === 'array' ? a : (b as { kind: 'array'; series: Series[] });
    const other = a.kind === 'array' ? b : a;
    if (other.kind === 'array') throw new MathError('Cannot combine two arrays of time series');
    const left = a.kind === 'array';
    return {
      kind: 'array',
      series: arr.series.map((s) => {
        if (other.kind === 'scalar') return withScalar(op, s, other.value, !left);
        return left ? combine(op, s, other.points) : combine(op, other.points, s);
      }),
    };
  }
  if (a.kind === 'scalar') return { kind: 'series', points: withScalar(op, (b as { points: Series }).points, a.value, true) };
  if (b.kind === 'scalar') return { kind: 'series', points: withScalar(op, a.points, b.value, false) };
  return { kind: 'series', points: combine(op, a.points, b.points) };
}
