/**
 * The compiled JSON writer (serialize.ts) writes byte for byte what the general walk and
 * JSON.stringify write, for every output shape of every AWS JSON service startrail speaks, on
 * random values: absent and null members, nulls in lists, Dates, Buffers, numeric map keys, values
 * of the wrong type, strings that need escaping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, type ServiceModel } from '../model.ts';
import { encodeJsonValue } from './index.ts';
import { serializeJson } from './serialize.ts';
import { prng } from '../../prng.ts';

const STRINGS = ['', 'plain', 'quote " and backslash \\', 'line\nbreak\ttab', 'ünïcødé ✓ 𝄞', '\u0000\u001f', '{"json":"text"}'];

function value(model: ServiceModel, shapeName: string, rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (r < 0.05) return undefined;
  if (r < 0.08) return null;
  if (r < 0.1) return STRINGS[Math.floor(rnd() * STRINGS.length)]; // the wrong type now and then
  const shape = model.shapes[shapeName];
  if (!shape) return 'unknown shape';
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = { notAMember: 'left out' };
      if (depth > 4) return out;
      for (const [name, ref] of Object.entries(shape.members ?? {})) if (rnd() < 0.7) out[name] = value(model, ref.shape, rnd, depth + 1);
      return out;
    }
    case 'list':
      if (depth > 4) return [];
      return Array.from({ length: Math.floor(rnd() * 4) }, () => value(model, shape.member!.shape, rnd, depth + 1));
    case 'map': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (let i = Math.floor(rnd() * 4); i > 0; i--)
        out[rnd() < 0.3 ? String(Math.floor(rnd() * 100)) : `k${i} "${STRINGS[i]}"`] = value(model, shape.value!.shape, rnd, depth + 1);
      return out;
    }
    case 'timestamp':
      return new Date(Math.floor(rnd() * 2e12) + (rnd() < 0.5 ? 0.5 : 0));
    case 'blob':
      return Buffer.from(STRINGS[Math.floor(rnd() * STRINGS.length)]!);
    case 'boolean':
      return rnd() < 0.5;
    case 'integer':
    case 'long':
      return Math.floor(rnd() * 1e6) - 1000;
    case 'double':
    case 'float':
      return rnd() < 0.1 ? Number.NaN : rnd() * 1e3;
    default:
      return STRINGS[Math.floor(rnd() * STRINGS.length)];
  }
}

for (const service of ['cloudtrail', 'codestar', 'sqs', 'logs', 'events', 'organizations']) {
  test(`${service}: every output shape writes as the general walk and JSON.stringify write it`, () => {
    const model = loadModel(service);
    assert.equal(model.metadata.protocol, 'json');
    const rnd = prng(service.length * 7919);
    let compared = 0;
    for (const [name, op] of Object.entries(model.operations)) {
      if (!op.output) continue;
      for (let i = 0; i < 20; i++) {
        const v = value(model, op.output, rnd, 0);
        // a string where a list belongs throws in both
        const outcome = (f: () => unknown) => {
          try {
            return f();
          } catch (e) {
            return `throws ${(e as Error).name}`;
          }
        };
        const expected = outcome(() => (v === undefined || v === null ? undefined : JSON.stringify(encodeJsonValue(model, op.output, v))));
        assert.equal(
          outcome(() => serializeJson(model, op.output, v)),
          expected,
          `${name} #${i}`,
        );
        compared++;
      }
    }
    assert.ok(compared >= 20 * 5, `${compared} outputs compared`);
  });
}

test('a value where a list belongs fails as the general walk fails; no shape writes the value as is', () => {
  const model = loadModel('cloudtrail');
  assert.throws(() => serializeJson(model, 'TrailList', 'not a list'), TypeError);
  assert.equal(serializeJson(model, undefined, { a: new Date(1500), b: [1, undefined] }), '{"a":"1970-01-01T00:00:01.500Z","b":[1,null]}');
  assert.equal(
    serializeJson(model, 'DescribeTrailsResponse', { trailList: [{ Name: 'n', IsMultiRegionTrail: false }] }),
    '{"trailList":[{"Name":"n","IsMultiRegionTrail":false}]}',
  );
});
