/** Range headers and conditional requests as S3 reads them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObjectInfo } from '../../objects/index.ts';
import { checkConditions, contentRange, parseRange } from './ranges.ts';

test('parseRange: one byte range in its three forms; anything else is ignored', () => {
  assert.deepEqual(parseRange('bytes=0-99'), { first: 0, last: 99 });
  assert.deepEqual(parseRange('bytes=100-'), { first: 100 });
  assert.deepEqual(parseRange('bytes=-500'), { suffix: 500 });
  assert.deepEqual(parseRange(' bytes = 5 - 6 '), { first: 5, last: 6 });
  for (const ignored of ['bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=9-2', 'bytes=a-b', '']) assert.equal(parseRange(ignored), undefined, ignored);
  assert.equal(contentRange({ start: 0, end: 4 }, 12), 'bytes 0-4/12');
});

const info: ObjectInfo = { key: 'k', size: 1, etag: '"abc"', lastModified: new Date('2026-11-24T10:00:00.500Z'), metadata: {} };
const code = (c: Parameters<typeof checkConditions>[1]) => {
  try {
    checkConditions(info, c);
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

test('conditional headers: 412 for If-Match / If-Unmodified-Since, 304 for If-None-Match / If-Modified-Since', () => {
  assert.equal(code({ IfMatch: '"abc"' }), 'ok');
  assert.equal(code({ IfMatch: 'abc' }), 'ok');
  assert.equal(code({ IfMatch: '*' }), 'ok');
  assert.equal(code({ IfMatch: '"zzz"' }), 'PreconditionFailed');
  assert.equal(code({ IfNoneMatch: '"abc"' }), 'NotModified');
  assert.equal(code({ IfNoneMatch: '"zzz"' }), 'ok');
  assert.equal(code({ IfModifiedSince: new Date('2026-11-24T10:00:00Z') }), 'NotModified'); // same second
  assert.equal(code({ IfModifiedSince: new Date('2026-11-24T09:59:59Z') }), 'ok');
  assert.equal(code({ IfUnmodifiedSince: new Date('2026-11-24T09:59:59Z') }), 'PreconditionFailed');
  assert.equal(code({ IfMatch: '"abc"', IfUnmodifiedSince: new Date('2026-11-24T09:59:59Z') }), 'ok'); // If-Match wins
});
