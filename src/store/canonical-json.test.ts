/**
 * The content key's canonical text (store/events.ts, docs/architecture.md#storage): byte for byte what
 * the plain definition gives — JSON.stringify with every object's keys sorted — so keys stored by
 * earlier versions still match.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RECORDS_FILE } from '../reference-data.ts';
import { canonicalJson } from './events.ts';

function plain(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(plain).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${plain(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

test('every real CloudTrail record of the reference records (RECORDS_FILE)', () => {
  const lines = readFileSync(RECORDS_FILE, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 1000);
  for (const line of lines) {
    const v = JSON.parse(line);
    assert.equal(canonicalJson(v), plain(v));
  }
});

test('strings that need escapes, surrogates, numeric and unsorted keys, nesting', () => {
  const cases: unknown[] = [
    'plain',
    'quote " and backslash \\ and / slash',
    'control \u0000 \u001f \n \t \b',
    'pair 😀 and lone \ud800 and \udfff',
    'é ü ß 漢字 \u2028 \u2029 \u007f',
    { b: 1, a: [3, { z: null, y: true, x: false }], '10': 'ten', '9': 'nine', '': 'empty' },
    { 'k"ey': 'v', 'k\\ey': ['\u0001'], nested: { deeper: { deepest: [1.5, -0, 1e21, 0.1] } } },
    [[], {}, [null], ''],
    42,
    null,
    true,
  ];
  for (const c of cases) {
    const v = JSON.parse(JSON.stringify(c));
    assert.equal(canonicalJson(v), plain(v), JSON.stringify(c));
  }
});
