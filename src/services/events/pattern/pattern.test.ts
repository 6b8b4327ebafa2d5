/**
 * The event-pattern engine against the table of cases.ts (AWS's documented examples per operator)
 * and the invalid patterns with AWS's reasons; plus the properties the table does not show.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invalidCases, matchCases } from './cases.ts';
import { matchesEventPattern, parseEventPattern, PatternError } from './index.ts';

const PREFIX = 'Event pattern is not valid. Reason: ';

describe('the table: documented matches', () => {
  test('has at least 150 cases, both outcomes', () => {
    assert.ok(matchCases.length >= 150, `${matchCases.length} cases`);
    assert.ok(matchCases.filter((c) => c.matches).length > 50);
    assert.ok(matchCases.filter((c) => !c.matches).length > 50);
  });
  for (const c of matchCases) {
    test(c.name, () => {
      const p = parseEventPattern(JSON.stringify(c.pattern));
      assert.equal(matchesEventPattern(p, c.event), c.matches);
      // the same through a re-parsed event (no cached flattening)
      assert.equal(matchesEventPattern(p, JSON.parse(JSON.stringify(c.event))), c.matches);
    });
  }
});

describe('the table: invalid patterns', () => {
  for (const c of invalidCases) {
    test(c.reason, () => {
      assert.throws(
        () => parseEventPattern(c.pattern),
        (e: unknown) => {
          assert.ok(e instanceof PatternError);
          assert.equal(e.reason, c.reason);
          if (c.message !== undefined) assert.equal(e.message, PREFIX + c.message);
          else assert.ok(e.message.startsWith(`${PREFIX}${c.reason}\n at [Source: (String)"`), e.message);
          return true;
        },
      );
    });
  }
});

describe('the parser', () => {
  test('locations: line and column where the parser stands', () => {
    const text = '{\n  "a": [\n    {"prefix": 5}\n  ]\n}';
    assert.throws(() => parseEventPattern(text), {
      message: `${PREFIX}prefix match pattern must be a string\n at [Source: (String)"${text}"; line: 3, column: 17]`,
    });
  });
  test('a long pattern is shown truncated to 500 characters', () => {
    const text = `{"a":["${'x'.repeat(600)}"],"b":"c"}`;
    assert.throws(
      () => parseEventPattern(text),
      (e: unknown) => e instanceof Error && e.message.includes(`"[truncated ${text.length - 500} chars]; line: 1, column: `),
    );
  });
  test('text after the pattern object is not read', () => {
    assert.doesNotThrow(() => parseEventPattern('{"a":["x"]} trailing'));
  });
  test('a field given twice: the later one counts', () => {
    const p = parseEventPattern('{"detail":{"a":["1"]},"detail":{"a":["2"]}}');
    assert.equal(matchesEventPattern(p, { detail: { a: '2' } }), true);
    assert.equal(matchesEventPattern(p, { detail: { a: '1' } }), false);
  });
  test('nothing malformed throws anything but PatternError', () => {
    const samples = [
      '',
      ' ',
      '{',
      '{"',
      '{"a"',
      '{"a":',
      '{"a":[',
      '{"a":[{',
      '{"a":[{"numeric":[">",1,"<"',
      '{"a":[1e]}',
      '{"a":[-]}',
      '{"a":["\\u12"]}',
      '{"a":[01]}',
      'nul',
      '{"a":["\u0001"]}',
    ];
    for (const s of samples) assert.throws(() => parseEventPattern(s), PatternError, JSON.stringify(s));
  });
  test('a non-object event matches nothing', () => {
    const p = parseEventPattern('{"a":[{"exists":false}]}');
    assert.equal(matchesEventPattern(p, [1]), false);
    assert.equal(matchesEventPattern(p, 'x'), false);
    assert.equal(matchesEventPattern(p, {}), true);
  });
  test('deeply nested events do not overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100000; i++) deep = [deep];
    const p = parseEventPattern('{"a":["x"]}');
    assert.equal(matchesEventPattern(p, { a: deep }), true);
  });
});
