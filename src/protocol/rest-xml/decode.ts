/**
 * REST-XML request decoding (smithy.io restXml; botocore `location` traits): each input member comes
 * from where the model says — `uri` labels of the path (`{Key+}` greedy, percent-decoded), `querystring`,
 * `header`, `headers` (a prefix map: `x-amz-meta-*`), or the payload member (raw bytes for a blob, text
 * for a string, an XML document for a structure). aws-chunked bodies are unframed first, and the
 * payload is checked against Content-MD5 and, where the model's httpChecksum trait says the request's
 * checksum is of its payload, x-amz-checksum-* (headers or trailers) before anything runs; an
 * operation that requires one (DeleteObjects, PutBucketPolicy) without any is InvalidRequest. An XML
 * payload is checked against its schema as S3 does: missing, or without a member the schema
 * requires, it is MalformedXML. The decoded input carries, as RECORD_FORM, what CloudTrail records of
 * the request (record.ts).
 */
import { AwsError } from '../../errors/aws-error.ts';
import type { ServiceModel, Shape } from '../model.ts';
import { ChunkedEncodingError, decodeAwsChunked, isAwsChunked, withoutAwsChunked } from './aws-chunked.ts';
import { CHECKSUM_HEADERS, verifyIntegrity } from './checksums.ts';
import { RECORD_FORM, recordForm } from './record.ts';
import { malformedXml, parsePayload } from './xml.ts';

export interface RestRequest {
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

type RestShape = Shape & { payload?: string };
/** The httpChecksum trait as gen-models keeps it. */
type ChecksumTrait = { httpChecksum?: { required: boolean } };

export const invalidUri = () => new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
const incompleteBody = (detail: string) => new AwsError('IncompleteBody', `The request body terminated unexpectedly: ${detail}`, 400);

export function headerValue(headers: RestRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function decodePart(s: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    throw invalidUri();
  }
}

/** Values of the path's `{Label}` / `{Label+}` segments in the operation's requestUri. */
export function pathLabels(requestUri: string, rawPath: string): Record<string, string> {
  const template = requestUri.split('?')[0]!.replace(/^\//, '').split('/');
  const parts = rawPath.replace(/^\//, '').split('/');
  const out: Record<string, string> = {};
  template.forEach((t, i) => {
    const m = /^\{([^}+]+)(\+?)\}$/.exec(t);
    if (!m) return;
    const raw = m[2] ? parts.slice(i).join('/') : (parts[i] ?? '');
    out[m[1]!] = decodePart(raw, false);
  });
  return out;
}

/** The query string, strictly decoded (`+` is a space, as S3 reads it). */
export function parseQueryStrict(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodePart(eq < 0 ? part : part.slice(0, eq), true);
    if (!out.has(k)) out.set(k, eq < 0 ? '' : decodePart(part.slice(eq + 1), true));
  }
  return out;
}

function convert(shape: Shape | undefined, raw: string, where: string): unknown {
  const bad = () =>
    Object.assign(new AwsError('InvalidArgument', `Invalid value for ${where}: '${raw.slice(0, 100)}'`, 400), {
      details: { ArgumentName: where, ArgumentValue: raw.slice(0, 100) },
    });
  switch (shape?.type) {
    case 'integer':
    case 'long': {
      const n = Number(raw.trim());
      if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw bad();
      return n;
    }
    case 'boolean': {
      // S3 reads booleans without regard to case: the official CLI v2 sends `True` (x-amz-bypass-governance-retention)
      const b = raw.trim().toLowerCase();
      if (b !== 'true' && b !== 'false') throw bad();
      return b === 'true';
    }
    case 'timestamp': {
      const ms = Date.parse(raw);
      return Number.isNaN(ms) ? undefined : new Date(ms); // HTTP: an invalid date is ignored
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

export function decodeRestXml(model: ServiceModel, operation: string, req: RestRequest): Record<string, unknown> {
  const op = model.operations[operation]!;
  if (!op.input) return withRecordForm({}, model, operation, req);
  const shape = model.shapes[op.input] as RestShape;
  const labels = pathLabels(op.http.requestUri, req.rawPath);
  const query = parseQueryStrict(req.rawQuery);
  const chunked = isAwsChunked(headerValue(req.headers, 'content-encoding'), headerValue(req.headers, 'x-amz-content-sha256'));
  let payload = req.body;
  let trailers: Record<string, string> = {};
  if (chunked) {
    try {
      ({ payload, trailers } = decodeAwsChunked(req.body));
    } catch (e) {
      if (e instanceof ChunkedEncodingError) throw incompleteBody(e.message);
      throw e;
    }
    const declared = headerValue(req.headers, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== payload.length)
      throw incompleteBody(`x-amz-decoded-content-length is ${declared}, the payload has ${payload.length} bytes`);
  }
  const value = (name: string) => trailers[name] ?? headerValue(req.headers, name);
  const trait = (op as ChecksumTrait).httpChecksum;
  // without the trait, x-amz-checksum-* headers are about something else (CompleteMultipartUpload: the whole object's)
  verifyIntegrity(payload, (name) => (trait || name === 'content-md5' ? value(name) : undefined));
  if (trait?.required && value('content-md5') === undefined && !Object.keys(CHECKSUM_HEADERS).some((h) => value(h) !== undefined)) {
    throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-Md5', 400);
  }

  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const loc = ref.locationName ?? name;
    const member = model.shapes[ref.shape];
    let v: unknown;
    switch (ref.location) {
      case 'uri':
        v = labels[loc];
        break;
      case 'querystring': {
        const raw = query.get(loc);
        v = raw === undefined ? undefined : convert(member, raw, loc);
        break;
      }
      case 'header': {
        const h = loc.toLowerCase();
        const raw = chunked && h === 'content-encoding' ? withoutAwsChunked(value(h)) : chunked && h === 'content-length' ? String(payload.length) : value(h);
        v = raw === undefined ? undefined : convert(member, raw, loc);
        break;
      }
      case 'headers':
        v = prefixHeaders(req.headers, loc.toLowerCase());
        break;
      default:
        if (shape.payload === name) v = payloadValue(model, member, ref.shape, loc, payload);
    }
    if (v !== undefined) out[name] = v;
  }
  if (
    shape.payload &&
    out[shape.payload] === undefined &&
    shape.required?.includes(shape.payload) &&
    model.shapes[shape.members![shape.payload]!.shape]?.type === 'structure'
  )
    throw malformedXml();
  return withRecordForm(out, model, operation, req);
}

/** The input with its record form attached, out of sight of everything but the audit. */
function withRecordForm(input: Record<string, unknown>, model: ServiceModel, operation: string, req: RestRequest): Record<string, unknown> {
  return Object.defineProperty(input, RECORD_FORM, { value: recordForm(model, operation, req, input), enumerable: false });
}

function prefixHeaders(headers: RestRequest['headers'], prefix: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (name.startsWith(prefix) && name.length > prefix.length) out[name.slice(prefix.length)] = headerValue(headers, name)!;
  }
  return Object.keys(out).length ? out : undefined;
}

function payloadValue(model: ServiceModel, member: Shape | undefined, shapeName: string, root: string, payload: Buffer): unknown {
  if (member?.type === 'blob') return payload;
  if (member?.type === 'string') return payload.toString('utf8');
  if (member?.type === 'structure') {
    if (!payload.length) return undefined;
    const value = parsePayload(model, shapeName, root, payload);
    if (!hasRequired(model, shapeName, value)) throw malformedXml();
    return value;
  }
  return undefined;
}

/** Whether every member the schema requires is there, all the way down. */
function hasRequired(model: ServiceModel, shapeName: string, value: unknown): boolean {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return true;
  if (shape.type === 'list') return (value as unknown[]).every((v) => hasRequired(model, shape.member!.shape, v));
  if (shape.type !== 'structure') return true;
  const obj = value as Record<string, unknown>;
  if ((shape.required ?? []).some((m) => obj[m] === undefined)) return false;
  return Object.entries(shape.members ?? {}).every(([m, ref]) => hasRequired(model, ref.shape, obj[m]));
}
