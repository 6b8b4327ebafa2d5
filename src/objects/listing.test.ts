/** ListObjects paging rules and S3 naming helpers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate } from './listing.ts';
import { compareKeys, isValidBucketName, resolveRange } from './names.ts';

test('paginate: delimiter rolls keys up into common prefixes counted once', () => {
  const keys = ['a/1', 'a/2', 'b', 'c/d/e'];
  assert.deepEqual(paginate(keys, { delimiter: '/', maxKeys: 10 }), { keys: ['b'], commonPrefixes: ['a/', 'c/'], isTruncated: false });
  assert.deepEqual(paginate(['c/d/e'], { prefix: 'c/', delimiter: '/', maxKeys: 10 }).commonPrefixes, ['c/d/']);
});

test('paginate: a full page is truncated only when another entry follows; the last entry is the marker', () => {
  assert.deepEqual(paginate(['a', 'b'], { maxKeys: 2 }), { keys: ['a', 'b'], commonPrefixes: [], isTruncated: false });
  assert.deepEqual(paginate(['a', 'b', 'c'], { maxKeys: 2 }), { keys: ['a', 'b'], commonPrefixes: [], isTruncated: true, nextMarker: 'b' });
  assert.deepEqual(paginate(['a/1', 'a/2', 'b'], { delimiter: '/', maxKeys: 1 }), { keys: [], commonPrefixes: ['a/'], isTruncated: true, nextMarker: 'a/' });
  // the next page, from marker "a/", does not repeat the prefix
  assert.deepEqual(paginate(['a/1', 'a/2', 'b'], { delimiter: '/', after: 'a/', maxKeys: 1 }), { keys: ['b'], commonPrefixes: [], isTruncated: false });
  assert.deepEqual(paginate(['a'], { maxKeys: 0 }), { keys: [], commonPrefixes: [], isTruncated: false });
});

test('paginate: a multi-character delimiter', () => {
  assert.deepEqual(paginate(['x--1', 'x--2', 'y'], { delimiter: '--', maxKeys: 5 }).commonPrefixes, ['x--']);
});

test('bucket names follow S3 rules', () => {
  for (const ok of ['abc', 'my.bucket-1', 'a'.repeat(63), '123']) assert.equal(isValidBucketName(ok), true, ok);
  for (const bad of ['ab', 'a'.repeat(64), 'Upper', 'under_score', '-start', 'end-', 'a..b', '192.168.1.1', 'xn--abc', 'x-s3alias', '.tmp', '..', 'a/b']) {
    assert.equal(isValidBucketName(bad), false, bad);
  }
});

test('keys compare by UTF-8 bytes, not UTF-16 units', () => {
  assert.ok('\uffff' > '𝄞'); // JS order
  assert.ok(compareKeys('\uffff', '𝄞') < 0); // S3 order: EF BF BF < F0 9D 84 9E
});

test('resolveRange: first-last, open end, suffix, clamping, unsatisfiable', () => {
  assert.deepEqual(resolveRange({ first: 0, last: 9 }, 100), { start: 0, end: 9 });
  assert.deepEqual(resolveRange({ first: 90, last: 200 }, 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange({ first: 95 }, 100), { start: 95, end: 99 });
  assert.deepEqual(resolveRange({ suffix: 10 }, 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange({ suffix: 500 }, 100), { start: 0, end: 99 });
  assert.equal(resolveRange({ first: 100 }, 100), undefined);
  assert.equal(resolveRange({ suffix: 0 }, 100), undefined);
  assert.equal(resolveRange({ first: 0 }, 0), undefined);
  assert.equal(resolveRange({ first: 5, last: 2 }, 100), undefined);
});
