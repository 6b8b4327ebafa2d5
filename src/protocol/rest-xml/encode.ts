/**
 * REST-XML response encoding (smithy.io restXml; S3 API Reference for root element names, which the
 * model does not carry): `header` members become headers (timestamps in IMF-fixdate), `headers` maps
 * become prefixed headers (x-amz-meta-*), the payload member is the body as is (blob, string) and
 * everything else is an XML document under the operation's root element in S3's namespace. A
 * response carrying Content-Range is partial content (206).
 */
import type { MemberRef, ServiceModel, Shape } from '../model.ts';
import { writeMembers, xmlText, XML_DECLARATION } from './xml.ts';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const XML_CONTENT_TYPE = 'application/xml';

/** Root element per output shape (S3 API Reference response syntax); others use the shape name. */
const ROOTS: Record<string, string> = {
  ListBucketsOutput: 'ListAllMyBucketsResult',
  ListObjectsOutput: 'ListBucketResult',
  ListObjectsV2Output: 'ListBucketResult',
  GetBucketLocationOutput: 'LocationConstraint',
  CreateMultipartUploadOutput: 'InitiateMultipartUploadResult',
  CompleteMultipartUploadOutput: 'CompleteMultipartUploadResult',
  ListPartsOutput: 'ListPartsResult',
  ListMultipartUploadsOutput: 'ListMultipartUploadsResult',
  DeleteObjectsOutput: 'DeleteResult',
  GetObjectTaggingOutput: 'Tagging',
  GetBucketTaggingOutput: 'Tagging',
  GetBucketVersioningOutput: 'VersioningConfiguration',
  ListObjectVersionsOutput: 'ListVersionsResult',
  GetBucketLifecycleConfigurationOutput: 'LifecycleConfiguration',
  GetBucketAclOutput: 'AccessControlPolicy',
  GetObjectAclOutput: 'AccessControlPolicy',
  GetBucketCorsOutput: 'CORSConfiguration',
};

type RestShape = Shape & { payload?: string };

export interface RestXmlResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

function headerText(_shape: Shape | undefined, value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  return String(value);
}

const inBody = (ref: MemberRef) => ref.location === undefined;

export function encodeRestXmlResponse(model: ServiceModel, operation: string, output: unknown): RestXmlResponse {
  const op = model.operations[operation]!;
  const headers: Record<string, string> = {};
  const out = (output ?? {}) as Record<string, unknown>;
  let status = op.http.responseCode ?? 200;
  if (!op.output) return { status, headers, body: '' };
  const shape = model.shapes[op.output] as RestShape;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    if (ref.location === 'header') headers[(ref.locationName ?? name).toLowerCase()] = headerText(model.shapes[ref.shape], v);
    if (ref.location === 'headers') {
      for (const [k, mv] of Object.entries(v as Record<string, string>)) headers[`${(ref.locationName ?? '').toLowerCase()}${k}`] = mv;
    }
    if (name === 'ContentRange') status = 206;
  }
  if (shape.payload) {
    const ref = shape.members![shape.payload]!;
    const v = out[shape.payload];
    if (v === undefined || v === null) return { status, headers, body: '' };
    const type = model.shapes[ref.shape]?.type;
    if (type === 'blob' || type === 'string') return { status, headers, body: Buffer.isBuffer(v) ? v : String(v) };
    const xml: string[] = [];
    writeMembers(model, ref.shape, v as Record<string, unknown>, xml);
    return { status, headers: { 'content-type': XML_CONTENT_TYPE, ...headers }, body: document(ref.locationName ?? shape.payload, xml.join('')) };
  }
  const bodyMembers = Object.entries(shape.members ?? {}).filter(([, ref]) => inBody(ref));
  if (!bodyMembers.length) return { status, headers, body: '' };
  const root = ROOTS[op.output] ?? op.output;
  const only = bodyMembers.length === 1 ? bodyMembers[0]! : undefined;
  // <LocationConstraint xmlns="…">eu-west-1</LocationConstraint>: the root's text is the single member
  if (only && (only[1].locationName ?? only[0]) === root) {
    const v = out[only[0]];
    return { status, headers: { 'content-type': XML_CONTENT_TYPE, ...headers }, body: document(root, v === undefined || v === null ? '' : xmlText(String(v))) };
  }
  const xml: string[] = [];
  writeMembers(model, op.output, out, xml, inBody);
  return { status, headers: { 'content-type': XML_CONTENT_TYPE, ...headers }, body: document(root, xml.join('')) };
}

function document(root: string, inner: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}
