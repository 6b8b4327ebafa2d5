/** The compiled form of an event pattern (parse.ts builds it, match.ts runs it). */
import type { CidrRange, Wildcard } from './values.ts';

/** One test on one leaf value of the event. */
export type Matcher =
  /** an exact string; `ip`: the pattern string is an IP address, so any spelling of it matches */
  | { kind: 'string'; value: string; ip?: string }
  /** an exact number: numerically (when comparable) or by its JSON text */
  | { kind: 'number'; text: string; value?: number }
  | { kind: 'literal'; value: true | false | null }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; wildcard: Wildcard }
  /** anything but these strings / these numbers (comparables) */
  | { kind: 'anything-but'; strings: Set<string>; numbers: Set<number> }
  | { kind: 'anything-but-ignore-case'; values: Set<string> }
  | { kind: 'anything-but-prefix' | 'anything-but-suffix'; values: string[] }
  | { kind: 'anything-but-wildcard'; wildcards: Wildcard[] }
  | { kind: 'numeric'; low?: number; lowOpen: boolean; high?: number; highOpen: boolean }
  | { kind: 'cidr'; range: CidrRange }
  | { kind: 'exists' }
  /** `{"exists": false}`: compiled into FieldTest.absent */
  | { kind: 'absent' };

/** The tests on one field (a dotted path); `absent`: `{"exists": false}` is one of them. */
export interface FieldTest {
  path: string;
  matchers: Matcher[];
  absent: boolean;
}

/** One alternative of the pattern ($or expands into several): every field must pass. */
export type Branch = FieldTest[];

export interface CompiledPattern {
  branches: Branch[];
  /** every path any branch tests, for flattening only what matters */
  paths: Set<string>;
}
