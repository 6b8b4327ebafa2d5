/**
 * Lake's aggregate functions (https://trino.io/docs/current/functions/aggregate.html): which names are
 * aggregates, and one aggregate call's running state per group (docs/lake.md#evaluation: GROUP BY keeps
 * one accumulator per aggregate and group, never the group's rows).
 */
import { compare, rowKey, truth } from './compare.ts';
import { num, QueryError } from './functions.ts';
import type { Ast } from './parse.ts';
import { functionName } from './parse.ts';
import { Dbl, type Value } from './values.ts';

export const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'approx_distinct',
  'count_if',
  'arbitrary',
  'any_value',
  'bool_and',
  'bool_or',
  'every',
  'array_agg',
  'max_by',
  'min_by',
  'approx_percentile',
]);

/** Evaluates an expression in the row's environment (the engine's; `E` is opaque here). */
export type Evaluate<E> = (n: Ast, env: E) => Value;

/**
 * One aggregate call's running state for one group, fed row by row (Trino's semantics,
 * https://trino.io/docs/current/functions/aggregate.html): nulls are skipped except by count(*),
 * array_agg and max_by/min_by's value; DISTINCT keeps the first of equal values; FILTER (WHERE …)
 * picks the rows.
 */
export class Accumulator<E> {
  private readonly name: string;
  private readonly args: Ast[];
  private readonly distinct: boolean;
  private readonly filter: Ast;
  private readonly star: boolean;
  private readonly seen = new Set<string>();
  private n = 0;
  private sum = 0;
  private dbl = false;
  private best: Value = null;
  private bestBy: Value = null;
  private hasBest = false;
  private trues = 0;
  private list: Value[] = [];
  private p: number | null = null;

  constructor(
    node: Ast,
    private readonly ev: Evaluate<E>,
  ) {
    this.name = node.type === 'aggr_func' ? String(node.name).toLowerCase() : functionName(node);
    this.args =
      node.type === 'aggr_func' ? (node.args?.expr === undefined ? [] : [node.args.expr]) : (node.args?.value ?? (node.args?.expr ? [node.args.expr] : []));
    this.distinct = node.args?.distinct === 'DISTINCT';
    this.filter = node.filter?.where;
    this.star = this.args.length === 0 || this.args[0]?.type === 'star';
  }

  add(env: E): void {
    if (this.filter && this.ev(this.filter, env) !== true) return;
    const name = this.name;
    if (name === 'count' && this.star) {
      this.n++;
      return;
    }
    const v = this.ev(this.args[0], env);
    if (name === 'max_by' || name === 'min_by') {
      const by = this.ev(this.args[1], env);
      if (by === null) return;
      if (!this.hasBest || (name === 'max_by' ? compare(by, this.bestBy) > 0 : compare(by, this.bestBy) < 0)) {
        this.hasBest = true;
        this.bestBy = by;
        this.best = v;
      }
      return;
    }
    if (name === 'array_agg') {
      if (!this.distinct || this.first(v)) this.list.push(v);
      return;
    }
    if (v === null) return;
    if (this.distinct && !this.first(v)) return;
    this.n++;
    switch (name) {
      case 'count':
        return;
      case 'approx_distinct':
        this.first(v);
        return;
      case 'count_if':
      case 'bool_and':
      case 'every':
      case 'bool_or':
        if (truth(v) === true) this.trues++;
        return;
      case 'sum':
      case 'avg':
        if (v instanceof Dbl || (typeof v === 'number' && !Number.isInteger(v))) this.dbl = true;
        this.sum += num(v)!;
        return;
      case 'min':
      case 'max':
        if (!this.hasBest || (name === 'max' ? compare(v, this.best) > 0 : compare(v, this.best) < 0)) {
          this.hasBest = true;
          this.best = v;
        }
        return;
      case 'arbitrary':
      case 'any_value':
        if (!this.hasBest) {
          this.hasBest = true;
          this.best = v;
        }
        return;
      case 'approx_percentile':
        this.p ??= num(this.ev(this.args[1], env));
        this.list.push(v);
        return;
      default:
        throw new QueryError(`Function ${name} not registered`);
    }
  }

  /** whether v is the first of its value (DISTINCT, approx_distinct) */
  private first(v: Value): boolean {
    const k = rowKey([v]);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }

  result(): Value {
    switch (this.name) {
      case 'count':
        return this.n;
      case 'approx_distinct':
        return this.seen.size;
      case 'count_if':
        return this.trues;
      case 'sum':
        return this.n ? (this.dbl ? new Dbl(this.sum) : this.sum) : null;
      case 'avg':
        return this.n ? new Dbl(this.sum / this.n) : null;
      case 'min':
      case 'max':
      case 'arbitrary':
      case 'any_value':
      case 'max_by':
      case 'min_by':
        return this.hasBest ? this.best : null;
      case 'bool_and':
      case 'every':
        return this.n ? this.trues === this.n : null;
      case 'bool_or':
        return this.n ? this.trues > 0 : null;
      case 'array_agg':
        return this.list;
      case 'approx_percentile': {
        if (!this.list.length || this.p === null) return null;
        const sorted = [...this.list].sort(compare);
        return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(this.p * (sorted.length - 1))))] ?? null;
      }
      default:
        throw new QueryError(`Function ${this.name} not registered`);
    }
  }
}
