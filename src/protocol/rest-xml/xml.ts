/**
 * XML bodies of REST-XML, driven by the model (smithy.io restXml "XML shape serialization"): a
 * structure is its members as child elements named by `locationName` or the member name; lists are
 * wrapped (`<Buckets><Bucket>…`) unless flattened (repeated `<Contents>`); timestamps are ISO 8601
 * with milliseconds, as S3 writes them; booleans `true`/`false`; blobs base64. Parsing (request
 * payloads such as CreateBucketConfiguration) uses fast-xml-parser and the same rules backwards.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../../errors/aws-error.ts';
import type { MemberRef, ServiceModel, Shape } from '../model.ts';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Text content escaped for XML 1.0; control characters as numeric references (\r survives parsers that normalise newlines). */
export function xmlText(s: string): string {
  return s.replace(/[&<>\u0000-\u0008\u000b-\u001f]/g, (c) => {
    if (c === '&') return '&amp;';
    if (c === '<') return '&lt;';
    if (c === '>') return '&gt;';
    return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
  });
}

export function scalarText(shape: Shape | undefined, value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (shape?.type === 'timestamp' && typeof value === 'string') return value;
  return xmlText(String(value));
}

/** The members of `shapeName` that `include` accepts, as XML child elements of `value`. */
export function writeMembers(
  model: ServiceModel,
  shapeName: string,
  value: Record<string, unknown>,
  out: string[],
  include: (ref: MemberRef) => boolean = () => true,
): void {
  const shape = model.shapes[shapeName];
  for (const [name, ref] of Object.entries(shape?.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null || !include(ref) || ref.xmlAttribute) continue;
    writeElement(model, ref, ref.locationName ?? name, v, out);
  }
}

export function writeElement(model: ServiceModel, ref: MemberRef, tag: string, value: unknown, out: string[]): void {
  const shape = model.shapes[ref.shape];
  if (shape?.type === 'list') {
    const item = shape.member!;
    if (ref.flattened || shape.flattened) {
      for (const v of value as unknown[]) writeElement(model, item, tag, v, out);
      return;
    }
    out.push(`<${tag}>`);
    for (const v of value as unknown[]) writeElement(model, item, item.locationName ?? 'member', v, out);
    out.push(`</${tag}>`);
    return;
  }
  if (shape?.type === 'structure') {
    out.push(`<${tag}${attributes(model, ref.shape, value as Record<string, unknown>)}>`);
    writeMembers(model, ref.shape, value as Record<string, unknown>, out);
    out.push(`</${tag}>`);
    return;
  }
  out.push(`<${tag}>${scalarText(shape, value)}</${tag}>`);
}

/**
 * A structure's xmlAttribute members as attributes, with the namespace the shape declares (S3's
 * Grantee: `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"`).
 */
function attributes(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
  const shape = model.shapes[shapeName];
  let out = '';
  for (const [name, ref] of Object.entries(shape?.members ?? {})) {
    const v = value[name];
    if (!ref.xmlAttribute || v === undefined || v === null) continue;
    out += ` ${ref.locationName ?? name}="${xmlText(String(v)).replace(/"/g, '&quot;')}"`;
  }
  const ns = shape?.xmlNamespace;
  if (out && ns?.prefix) out = ` xmlns:${ns.prefix}="${ns.uri}"${out}`;
  return out;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  // character references (`&#34;`, `&#x22;`): Go's encoding/xml (rclone, the Go SDK) writes the quotes of ETags so
  htmlEntities: true,
});

export const malformedXml = () =>
  new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** Parses a payload whose root element must be `root` into the structure `shapeName`. */
export function parsePayload(model: ServiceModel, shapeName: string, root: string, xml: Buffer): Record<string, unknown> {
  const text = xml.toString('utf8');
  if (XMLValidator.validate(text) !== true) throw malformedXml();
  const doc = parser.parse(text) as Record<string, unknown>;
  if (!(root in doc)) throw malformedXml();
  const node = doc[root];
  return (readValue(model, shapeName, node === '' ? {} : node) as Record<string, unknown> | undefined) ?? {};
}

function readValue(model: ServiceModel, shapeName: string, node: unknown): unknown {
  const shape = model.shapes[shapeName];
  if (!shape || node === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof node !== 'object' || node === null) throw malformedXml();
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const tag = ref.locationName ?? name;
        const listShape = model.shapes[ref.shape];
        const child = (node as Record<string, unknown>)[tag];
        if (child === undefined) continue;
        if (listShape?.type === 'list' && !(ref.flattened || listShape.flattened)) {
          const items = (child as Record<string, unknown>)?.[listShape.member!.locationName ?? 'member'];
          out[name] = (items === undefined ? [] : ([] as unknown[]).concat(items)).map((i) => readValue(model, listShape.member!.shape, i));
        } else {
          out[name] = readValue(model, ref.shape, child);
        }
      }
      return out;
    }
    case 'list':
      return ([] as unknown[]).concat(node).map((i) => readValue(model, shape.member!.shape, i));
    default: {
      if (typeof node === 'object') throw malformedXml();
      const text = String(node);
      if (shape.type === 'boolean') return text === 'true';
      if (shape.type === 'integer' || shape.type === 'long') return Number(text);
      if (shape.type === 'timestamp') return new Date(text);
      return text;
    }
  }
}
