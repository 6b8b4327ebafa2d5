/**
 * AWS Query (IAM, STS). Protocol: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 * Requests are form-encoded (`Action=...&Version=...&Name.member.1=...`) in the body, or in the query
 * string of a GET; responses are XML `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…`;
 * errors `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. The
 * protocol object is in protocol.ts.
 */
import { AwsError } from '../../errors/aws-error.ts';
import type { MemberRef, ServiceModel } from '../model.ts';

export const XML_CONTENT_TYPE = 'text/xml';

/** A form that cannot be read: MalformedQueryString. */
export const malformedQueryString = (detail: string) => new AwsError('MalformedQueryString', detail, 400);
/** A value that breaks its model's constraints (or cannot be its type): ValidationError. */
export const queryValidationError = (message: string) => new AwsError('ValidationError', message, 400);

/** Splits a form/query string into decoded pairs; `+` is a space in forms (x-www-form-urlencoded). */
export function parseForm(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.set(decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      throw malformedQueryString(`Malformed percent-encoding in the query string: ${part.slice(0, 64)}`);
    }
  }
  return out;
}

/** Builds the input structure of `shapeName` from flattened form parameters. */
export function decodeQuery(model: ServiceModel, shapeName: string | undefined, params: Map<string, string>): Record<string, unknown> {
  if (!shapeName) return {};
  return (decodeValue(model, shapeName, params, '') as Record<string, unknown> | undefined) ?? {};
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function decodeValue(model: ServiceModel, shapeName: string, params: Map<string, string>, prefix: string, ref?: MemberRef): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) return undefined;
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const v = decodeValue(model, m.shape, params, at(m.locationName ?? name), m);
        if (v !== undefined) {
          out[name] = v;
          any = true;
        }
      }
      return any || !prefix ? out : undefined;
    }
    case 'list': {
      const flat = ref?.flattened || shape.flattened;
      const base = flat ? prefix : `${prefix}.${shape.member!.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let i = 1; ; i++) {
        const v = decodeValue(model, shape.member!.shape, params, `${base}.${i}`);
        if (v === undefined) break;
        items.push(v);
      }
      // "Name=" with no members is how query clients send an empty list.
      if (items.length === 0 && params.get(prefix) === '') return [];
      return items.length ? items : undefined;
    }
    case 'map': {
      const base = ref?.flattened || shape.flattened ? prefix : `${prefix}.entry`;
      const out: Record<string, unknown> = {};
      let any = false;
      for (let i = 1; ; i++) {
        const k = params.get(`${base}.${i}.${shape.key!.locationName ?? 'key'}`);
        if (k === undefined) break;
        out[k] = decodeValue(model, shape.value!.shape, params, `${base}.${i}.${shape.value!.locationName ?? 'value'}`);
        any = true;
      }
      return any ? out : undefined;
    }
    default: {
      const raw = params.get(prefix);
      if (raw === undefined) return undefined;
      return decodeScalar(shape.type, raw, prefix);
    }
  }
}

function decodeScalar(type: string, raw: string, name: string): unknown {
  const bad = () =>
    queryValidationError(`1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a valid ${type}`);
  switch (type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) throw bad();
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw bad();
      return n;
    }
    case 'double':
    case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw bad();
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw bad();
      return raw === 'true';
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      if (Number.isNaN(ms)) throw bad();
      return new Date(ms);
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

/**
 * Text content for a Query response. XML 1.0 cannot carry most C0 control characters, U+FFFE or
 * U+FFFF, not even as character references (https://www.w3.org/TR/xml/#charsets), so those are
 * written as U+FFFD: an error message echoing a value with a NUL stays a well-formed document the
 * SDKs can parse. Tab and newline pass; \r is a reference so that parsers do not normalise it.
 */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => XML_ESCAPES[c] ?? '\ufffd');
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** ISO-8601 without milliseconds, as IAM and STS write timestamps. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function encodeValue(model: ServiceModel, shapeName: string, value: unknown, out: string[]): void {
  const shape = model.shapes[shapeName];
  if (!shape) return;
  switch (shape.type) {
    case 'structure':
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null) continue;
        encodeMember(model, m, m.locationName ?? name, v, out);
      }
      return;
    case 'timestamp':
      out.push(isoSeconds(value as Date));
      return;
    case 'blob':
      out.push((value as Buffer).toString('base64'));
      return;
    default:
      out.push(xmlEscape(String(value)));
  }
}

function encodeMember(model: ServiceModel, ref: MemberRef, tag: string, value: unknown, out: string[]): void {
  const shape = model.shapes[ref.shape];
  if (shape?.type === 'list') {
    const itemTag = shape.member!.locationName ?? 'member';
    if (ref.flattened || shape.flattened) {
      for (const item of value as unknown[]) encodeMember(model, shape.member!, tag, item, out);
      return;
    }
    out.push(`<${tag}>`);
    for (const item of value as unknown[]) encodeMember(model, shape.member!, itemTag, item, out);
    out.push(`</${tag}>`);
    return;
  }
  if (shape?.type === 'map' && (ref.flattened || shape.flattened)) {
    // flattened (SQS): each entry is its own <tag> element, <tag><Name>k</Name><Value>v</Value></tag>
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push(`<${tag}>`);
      encodeMember(model, shape.key!, shape.key!.locationName ?? 'key', k, out);
      encodeMember(model, shape.value!, shape.value!.locationName ?? 'value', v, out);
      out.push(`</${tag}>`);
    }
    return;
  }
  if (shape?.type === 'map') {
    out.push(`<${tag}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push('<entry>');
      encodeMember(model, shape.key!, shape.key!.locationName ?? 'key', k, out);
      encodeMember(model, shape.value!, shape.value!.locationName ?? 'value', v, out);
      out.push('</entry>');
    }
    out.push(`</${tag}>`);
    return;
  }
  out.push(`<${tag}>`);
  encodeValue(model, ref.shape, value, out);
  out.push(`</${tag}>`);
}

export function encodeQueryResponse(model: ServiceModel, operation: string, output: unknown, requestId: string): string {
  const op = model.operations[operation]!;
  const ns = model.metadata.xmlNamespace ?? '';
  const out: string[] = [`<${operation}Response xmlns="${ns}">`];
  if (op.output) {
    const wrapper = op.resultWrapper ?? `${operation}Result`;
    out.push(`<${wrapper}>`);
    if (output) encodeValue(model, op.output, output, out);
    out.push(`</${wrapper}>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`);
  return out.join('');
}

export function encodeQueryError(xmlNamespace: string, error: AwsError, requestId: string): { status: number; body: string } {
  const body = `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${error.fault}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, body };
}
