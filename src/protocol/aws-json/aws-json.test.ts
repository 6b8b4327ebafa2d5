import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../errors/aws-error.ts';
import { loadModel } from '../model.ts';
import { decodeJson, encodeJsonValue, parseJsonBody } from './index.ts';

const cs = loadModel('codestar');
const ct = loadModel('cloudtrail');

function serializationFailure(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AwsError);
    return e;
  }
  assert.fail('expected a SerializationException');
}

test('empty body is an empty input; non-object and broken JSON are SerializationException 400', () => {
  assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
  for (const body of ['{', '[]', '"x"', '42', 'null']) {
    const e = serializationFailure(() => parseJsonBody(Buffer.from(body)));
    assert.equal(e.code, 'SerializationException');
    assert.equal(e.status, 400);
  }
});

test('decoding type-checks members and ignores unknown ones', () => {
  assert.deepEqual(decodeJson(cs, 'CreateProjectRequest', { name: 'n', id: 'p', extra: 1 }), { name: 'n', id: 'p' });
  const e = serializationFailure(() => decodeJson(cs, 'CreateProjectRequest', { name: 5, id: 'p' }));
  assert.equal(e.code, 'SerializationException');
  assert.match(e.message, /NUMBER_VALUE can not be converted to a String at 'name'/);
  assert.equal(serializationFailure(() => decodeJson(cs, 'ListProjectsRequest', { maxResults: 1.5 })).code, 'SerializationException');
  assert.equal(serializationFailure(() => decodeJson(cs, 'TagProjectRequest', { id: 'p', tags: ['a'] })).code, 'SerializationException');
  assert.equal(serializationFailure(() => decodeJson(cs, 'DeleteProjectRequest', { id: 'p', deleteStack: 'yes' })).code, 'SerializationException');
});

test('timestamps decode from epoch seconds (fractional) and encode back to seconds', () => {
  const v = decodeJson(ct, 'LookupEventsRequest', { StartTime: 1704067200, EndTime: 1704153600.5 }) as { StartTime: Date; EndTime: Date };
  assert.equal(v.StartTime.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(v.EndTime.toISOString(), '2024-01-02T00:00:00.500Z');
  const out = encodeJsonValue(ct, 'LookupEventsResponse', { Events: [{ EventId: 'e', EventTime: new Date(1704067200500) }] });
  assert.deepEqual(out, { Events: [{ EventId: 'e', EventTime: 1704067200.5 }] });
});

test('lone surrogate escapes in values and map keys become U+FFFD; pairs and other text are kept', () => {
  const raw = parseJsonBody(Buffer.from('{"id":"p\\ud800","name":"\\ud83d\\ude00 \\udfff","tags":{"k\\udc00":"v\\u0000"}}')) as Record<string, any>;
  assert.equal(raw.id, 'p\ufffd');
  assert.equal(raw.name, '\u{1F600} \ufffd');
  assert.deepEqual(raw.tags, { 'k\ufffd': 'v\u0000' });
  assert.deepEqual(parseJsonBody(Buffer.from('{"a":"\\\\ud800"}')), { a: '\\ud800' });
});
