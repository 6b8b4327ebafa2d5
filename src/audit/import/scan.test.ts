/** recordSlices: records as exact source text from every file shape import accepts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordSlices, ScanError } from './scan.ts';

const a = '{"eventID":"a","x":"brackets ] } [ { and \\"quotes\\" and \\\\"}';
const b = '{ "eventID" : "b",\n  "nested": {"Records": [1, 2]}, "list": [ {"k": null}, true, -1.5e3 ] }';

test('a {"Records":[…]} log file: each element, byte for byte, whatever the spacing', () => {
  assert.deepEqual(recordSlices(`{"Records":[${a},${b}]}`), [a, b]);
  assert.deepEqual(recordSlices(`\uFEFF{\n  "Records" : [\n    ${a} ,\n    ${b}\n  ]\n}\n`), [a, b]);
  assert.deepEqual(recordSlices('{"Records":[]}'), []);
});

test('a Records file may have other members around the array', () => {
  assert.deepEqual(recordSlices(`{"meta":{"Records":"no"},"Records":[${b}],"more":[1]}`), [b]);
});

test('a bare array, and JSON Lines (blank lines and CRLF allowed)', () => {
  assert.deepEqual(recordSlices(`[${a}, ${b}]`), [a, b]);
  assert.deepEqual(recordSlices(`${a}\r\n\r\n${b.replace(/\n/g, ' ')}\n`), [a, b.replace(/\n/g, ' ')]);
});

test('a nested "Records" inside a record does not make it a wrapper', () => {
  assert.deepEqual(recordSlices(b), [b]);
});

test('malformed text is refused with the line', () => {
  assert.throws(() => recordSlices('{"Records":[{"a":1}'), ScanError);
  assert.throws(() => recordSlices('{"a":1}\nnot json'), /line 2/);
  assert.throws(() => recordSlices('{"a":"unterminated}'), /unterminated string/);
});
