/**
 * EventBridge event patterns: parse once, match many times. docs/event-patterns.md.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
import { JsonPatternError } from './json.ts';
import { matchCompiled } from './match.ts';
import { compilePattern } from './parse.ts';
import type { CompiledPattern } from './types.ts';

/** AWS's InvalidEventPatternException message, e.g. "Event pattern is not valid. Reason: …". */
export class PatternError extends Error {
  constructor(
    /** the reason alone, without the prefix or the parser location */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'PatternError';
  }
}

/** A compiled pattern (opaque to callers). */
export interface EventPattern {
  readonly compiled: CompiledPattern;
}

const PREFIX = 'Event pattern is not valid. Reason: ';

export function parseEventPattern(text: string): EventPattern {
  try {
    return { compiled: compilePattern(text) };
  } catch (e) {
    if (e instanceof JsonPatternError) throw new PatternError(e.reason, PREFIX + e.message);
    throw e;
  }
}

/** `event` is the parsed JSON envelope (or any JSON value: a non-object matches nothing). */
export function matchesEventPattern(p: EventPattern, event: unknown): boolean {
  return matchCompiled(p.compiled, event);
}
