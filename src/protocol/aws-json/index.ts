/**
 * AWS JSON 1.0 and 1.1 bodies (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html; 1.0
 * has the same shapes). Decoding type-checks the body against the input shape: timestamps are epoch
 * seconds (fractions allowed), blobs base64; unknown members are ignored, as AWS does; a wrong type is
 * a SerializationException. Errors go out as {"__type": code, "message": ...}. The protocol objects
 * are in protocol.ts.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { encodeByShape } from '../encode-shape.ts';
import type { ServiceModel } from '../model.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const JSON_1_0_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** A body that cannot be read as the input: SerializationException, in both JSON protocols. */
export const serializationError = (detail: string) => new AwsError('SerializationException', detail, 400);

/** A JSON request (its content type says so) without the X-Amz-Target header naming its operation. */
export const missingTarget = () => new AwsError('UnknownOperationException', 'The request did not name an operation (X-Amz-Target is missing)', 400);

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    const text = body.toString('utf8');
    parsed = LONE_SURROGATE_ESCAPE.test(text) ? JSON.parse(text, wellFormed) : JSON.parse(text);
  } catch {
    throw serializationError('Unexpected content in request body: the body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw serializationError('Start of structure or map expected: the request body must be a JSON object');
  }
  return parsed;
}

/**
 * A `\uD800`-style escape can name half a surrogate pair, which no UTF-8 text (the audit record,
 * the store, the response) can carry. Such strings are made well-formed on arrival (each lone half
 * becomes U+FFFD, as a UTF-8 decoder treats an invalid sequence), so the call, its record and what
 * it stores agree on both backends. Raw UTF-8 bytes cannot hold a lone surrogate: Buffer decoding
 * already replaces invalid sequences with U+FFFD.
 */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** String.prototype.isWellFormed / toWellFormed (ES2024, in Node 20; not in this project's ES2022 lib). */
type Es2024String = { isWellFormed(): boolean; toWellFormed(): string };
const toWellFormed = (s: string): string => (s as unknown as Es2024String).toWellFormed();
const isWellFormed = (s: string): boolean => (s as unknown as Es2024String).isWellFormed();
/** JSON.parse reviver: values, and the keys of objects (maps such as tags), made well-formed. */
function wellFormed(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return toWellFormed(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (isWellFormed(k)) continue;
      const value = o[k];
      delete o[k];
      o[toWellFormed(k)] = value;
    }
  }
  return v;
}

/** Type-checks `raw` against `shapeName` and converts wire forms (timestamps, blobs) to JS values. */
export function decodeJson(model: ServiceModel, shapeName: string, raw: unknown, path = ''): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || raw === null || raw === undefined) return undefined;
  const where = path || 'the request';
  const bad = (expected: string) => serializationError(`${typeName(raw)} can not be converted to ${expected} at '${where}'`);
  switch (shape.type) {
    case 'structure': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw bad('a structure');
      const out: Record<string, unknown> = {};
      const obj = raw as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (!(name in obj)) continue;
        const v = decodeJson(model, ref.shape, obj[name], path ? `${path}.${name}` : name);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(raw)) throw bad('a list');
      return raw.map((item, i) => decodeJson(model, shape.member!.shape, item, `${path}.${i + 1}.member`)).filter((v) => v !== undefined);
    }
    case 'map': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw bad('a map');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        const d = decodeJson(model, shape.value!.shape, v, `${path}.${k}`);
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
    case 'long':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw bad(shape.type === 'long' ? 'a Long' : 'an Integer');
      return raw;
    case 'double':
    case 'float':
      if (typeof raw !== 'number') throw bad('a Double');
      return raw;
    case 'timestamp': {
      let ms: number;
      if (typeof raw === 'number') ms = raw * 1000;
      else if (typeof raw === 'string' && !Number.isNaN(Date.parse(raw))) ms = Date.parse(raw);
      else throw bad('a Timestamp');
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw bad('a Timestamp');
      return new Date(ms);
    }
    case 'blob':
      if (typeof raw !== 'string') throw bad('a Blob');
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (typeof v === 'object') return 'START_OBJECT';
  if (typeof v === 'string') return 'STRING_VALUE';
  if (typeof v === 'number') return 'NUMBER_VALUE';
  if (typeof v === 'boolean') return 'BOOLEAN_VALUE';
  return 'VALUE';
}

/** Converts handler output to wire JSON following the output shape (Dates → epoch seconds, Buffers → base64). */
export function encodeJsonValue(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  return encodeByShape(model, shapeName, value, (v) => (v instanceof Date ? v.getTime() / 1000 : v.toString('base64')));
}

export function encodeJsonError(error: AwsError): { status: number; body: string } {
  return { status: error.status, body: JSON.stringify({ __type: error.code, message: error.message }) };
}
