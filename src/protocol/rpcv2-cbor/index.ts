/**
 * Smithy RPC v2 CBOR bodies (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html),
 * read and written with the SDK's own codec (`@smithy/core/cbor`). Decoding type-checks the body
 * against the input shape as the JSON protocols do (src/protocol/aws-json/index.ts): timestamps are
 * tag 1 (epoch seconds, integer or float), blobs byte strings; unknown members are ignored; a wrong
 * type or bytes that are not CBOR are a SerializationException (400). The protocol object is in
 * protocol.ts.
 */
import { cbor, dateToTag } from '@smithy/core/cbor';
import { gunzipSync } from 'node:zlib';
import { AwsError } from '../../errors/aws-error.ts';
import { encodeByShape } from '../encode-shape.ts';
import type { ServiceModel } from '../model.ts';
import type { WireRequest } from '../wire.ts';

export const CBOR_CONTENT_TYPE = 'application/cbor';

export const serializationError = (detail: string) => new AwsError('SerializationException', detail, 400);

/**
 * The body as sent, unwrapped from `Content-Encoding: gzip` (the SDKs compress PutMetricData bodies:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-compression.html). The inflated size is
 * bounded by `limit`: a small bomb cannot grow past it.
 */
export function requestBody(req: WireRequest, limit: number): Buffer {
  const enc = req.headers['content-encoding'];
  const encoding = (Array.isArray(enc) ? enc.join(',') : (enc ?? '')).toLowerCase().trim();
  if (!encoding || encoding === 'identity' || req.body.length === 0) return req.body;
  if (encoding !== 'gzip') throw serializationError(`Unsupported Content-Encoding: ${encoding}`);
  try {
    return gunzipSync(req.body, { maxOutputLength: limit });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new AwsError('RequestEntityTooLarge', `Request body is larger than the limit of ${limit} bytes`, 413);
    throw serializationError('The request body is not valid gzip');
  }
}

/** The CBOR map the body holds ({} for an empty body, as the specification allows). */
export function parseCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = cbor.deserialize(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  } catch {
    throw serializationError('Unexpected content in request body: the body is not valid CBOR');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof Uint8Array || isTag(parsed)) {
    throw serializationError('Start of structure or map expected: the request body must be a CBOR map');
  }
  return parsed as Record<string, unknown>;
}

type Tagged = { tag: number | bigint; value: unknown };
const isTag = (v: unknown): v is Tagged => typeof v === 'object' && v !== null && 'tag' in v && 'value' in v && Object.getOwnPropertySymbols(v).length > 0;

function numberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  return undefined;
}

/** Type-checks `raw` against `shapeName` and converts wire forms (tag-1 timestamps, byte strings) to JS values. */
export function decodeCbor(model: ServiceModel, shapeName: string, raw: unknown, path = ''): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || raw === null || raw === undefined) return undefined;
  const where = path || 'the request';
  const bad = (expected: string) => serializationError(`${typeName(raw)} can not be converted to ${expected} at '${where}'`);
  switch (shape.type) {
    case 'structure': {
      if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array || isTag(raw)) throw bad('a structure');
      const out: Record<string, unknown> = {};
      const obj = raw as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (!Object.hasOwn(obj, name)) continue;
        const v = decodeCbor(model, ref.shape, obj[name], path ? `${path}.${name}` : name);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(raw)) throw bad('a list');
      return raw.map((item, i) => decodeCbor(model, shape.member!.shape, item, `${path}.${i + 1}.member`)).filter((v) => v !== undefined);
    }
    case 'map': {
      if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array || isTag(raw)) throw bad('a map');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        const d = decodeCbor(model, shape.value!.shape, v, `${path}.${k}`);
        if (d !== undefined) out[k] = d;
      }
      return out;
    }
    case 'string':
      if (typeof raw !== 'string') throw bad('a String');
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') throw bad('a Boolean');
      return raw;
    case 'integer':
    case 'long': {
      const n = numberOf(raw);
      if (n === undefined || !Number.isSafeInteger(n)) throw bad(shape.type === 'long' ? 'a Long' : 'an Integer');
      return n;
    }
    case 'double':
    case 'float': {
      const n = numberOf(raw);
      if (n === undefined) throw bad('a Double');
      return n;
    }
    case 'timestamp': {
      const seconds = isTag(raw) && Number(raw.tag) === 1 ? numberOf(raw.value) : numberOf(raw);
      const ms = seconds === undefined ? Number.NaN : seconds * 1000;
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw bad('a Timestamp');
      return new Date(ms);
    }
    case 'blob':
      if (!(raw instanceof Uint8Array)) throw bad('a Blob');
      return Buffer.from(raw);
    default:
      return raw;
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (v instanceof Uint8Array) return 'BYTE_STRING';
  if (isTag(v)) return 'TAG';
  if (typeof v === 'object') return 'START_OBJECT';
  if (typeof v === 'string') return 'STRING_VALUE';
  if (typeof v === 'number' || typeof v === 'bigint') return 'NUMBER_VALUE';
  if (typeof v === 'boolean') return 'BOOLEAN_VALUE';
  return 'VALUE';
}

/** Handler output as CBOR-ready values following the output shape (Dates → tag 1, Buffers → byte strings). */
export function encodeCborValue(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  return encodeByShape(model, shapeName, value, (v) => (v instanceof Date ? dateToTag(v) : new Uint8Array(v)));
}

export function serializeCbor(value: unknown): Buffer {
  // a copy: the codec reuses its output buffer
  return Buffer.from(cbor.serialize(value));
}
