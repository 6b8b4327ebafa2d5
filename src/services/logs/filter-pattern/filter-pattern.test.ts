import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_CASES, MATCH_CASES } from './cases.ts';
import { checkValueSpec, FilterPatternError, INVALID_PATTERN_MESSAGE, matchFilterPattern, parseFilterPattern } from './index.ts';

describe('filter patterns: the table from AWS documentation', () => {
  it('has at least 100 cases', () => {
    assert.ok(MATCH_CASES.length + INVALID_CASES.length >= 100, `${MATCH_CASES.length + INVALID_CASES.length} cases`);
  });
  for (const c of MATCH_CASES) {
    it(`${c.pattern} on ${c.message.slice(0, 50)} → ${c.match}`, () => {
      const m = matchFilterPattern(parseFilterPattern(c.pattern), c.message);
      assert.equal(m !== null, c.match);
      if (m === null) return;
      if (c.value) assert.equal(m.value(c.value.spec), c.value.expected);
      if (c.text) assert.equal(m.text(c.text.spec), c.text.expected);
    });
  }
  for (const c of INVALID_CASES) {
    it(`rejects ${c.pattern}`, () => {
      assert.throws(
        () => parseFilterPattern(c.pattern),
        (e: unknown) => e instanceof FilterPatternError && e.message === INVALID_PATTERN_MESSAGE,
      );
    });
  }
});

describe('metric value and dimension specs', () => {
  it('a JSON pattern takes $.selectors and literals, not $names', () => {
    const p = parseFilterPattern('{ $.latency > 0 }');
    checkValueSpec(p, '$.latency');
    checkValueSpec(p, '$.other.field[0]');
    checkValueSpec(p, '1');
    assert.throws(() => checkValueSpec(p, '$latency'), FilterPatternError);
    assert.throws(() => checkValueSpec(p, 'latency'), FilterPatternError);
  });
  it('a space-delimited pattern takes its own field names', () => {
    const p = parseFilterPattern('[ip, ..., bytes]');
    checkValueSpec(p, '$bytes');
    checkValueSpec(p, '$ip');
    assert.throws(() => checkValueSpec(p, '$status'), FilterPatternError);
    assert.throws(() => checkValueSpec(p, '$.bytes'), FilterPatternError);
  });
  it('a term pattern takes literals only', () => {
    const p = parseFilterPattern('ERROR');
    checkValueSpec(p, '1');
    assert.throws(() => checkValueSpec(p, '$.x'), FilterPatternError);
  });
  it('nothing throws anything but FilterPatternError', () => {
    const junk = [
      '{',
      '}',
      '[',
      ']',
      '{ $. = 1 }',
      '{ $..a = 1 }',
      '[...]',
      '[..., ...]',
      '{ (( }',
      '%%',
      '?',
      '-',
      '{ $.a = "x" } trailing',
      '[a = "x" && ]',
      '{ $.a[ = 1 }',
    ];
    for (const pattern of junk) {
      try {
        const p = parseFilterPattern(pattern);
        matchFilterPattern(p, 'a b c');
      } catch (e) {
        assert.ok(e instanceof FilterPatternError, `${pattern}: ${String(e)}`);
      }
    }
  });
});
