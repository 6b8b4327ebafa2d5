/**
 * What CloudTrail records as the requestParameters of an S3 call: not the model's members but the
 * request as sent (real S3 records of PutObject, CopyObject, DeleteObjects and bucket configuration
 * calls; https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html): `bucketName`, `Host`, every query parameter by its wire
 * name with its value as a string (a bare subresource as "": `"uploads": ""`, `"delete": ""`,
 * `"x-id": "UploadPart"`), the headers S3 records (`x-amz-copy-source`, `x-amz-acl`, server-side
 * encryption, storage class), `key`, and a bucket configuration's XML body as its root element with
 * `xmlns` (a bucket policy as `bucketPolicy`, parsed). S3 does not record the object list of
 * DeleteObjects nor the part list of CompleteMultipartUpload, nor any object bytes. The decoder
 * attaches this to the input as RECORD_FORM; the audit observer records it (audit/parameters.ts).
 */
import { XMLParser } from 'fast-xml-parser';
import type { ServiceModel, Shape } from '../model.ts';
import { queryNames } from './routes.ts';

/** The same registered symbol audit/parameters.ts reads: a protocol's own record form of an input. */
export const RECORD_FORM = Symbol.for('startrail.recordForm');

/** Query parameters that are the signature or its token: never recorded. */
const UNRECORDED_QUERY = new Set(['x-amz-signature', 'x-amz-security-token']);
/** Request headers S3's records carry (observed in AWS's records). */
const RECORDED_HEADERS = [
  'x-amz-acl',
  'x-amz-copy-source',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-storage-class',
];
/** XML payloads S3 leaves out of the record. */
const UNRECORDED_PAYLOADS = new Set(['DeleteObjects', 'CompleteMultipartUpload']);

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: true,
});

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function recordForm(
  model: ServiceModel,
  operation: string,
  req: { rawQuery: string; headers: Headers; body: Buffer },
  input: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof input.Bucket === 'string') out.bucketName = input.Bucket;
  const host = header(req.headers, 'host');
  if (host !== undefined) out.Host = host;
  Object.assign(out, payloadForm(model, operation, req.body, input));
  for (const [name, value] of queryNames(req.rawQuery)) if (!UNRECORDED_QUERY.has(name.toLowerCase())) out[name] = value;
  for (const name of RECORDED_HEADERS) {
    const v = header(req.headers, name);
    if (v !== undefined) out[name] = v;
  }
  if (typeof input.Key === 'string') out.key = input.Key;
  return out;
}

function payloadForm(model: ServiceModel, operation: string, body: Buffer, input: Record<string, unknown>): Record<string, unknown> {
  const shape = model.shapes[model.operations[operation]?.input ?? ''] as (Shape & { payload?: string }) | undefined;
  if (!shape?.payload || UNRECORDED_PAYLOADS.has(operation) || input[shape.payload] === undefined) return {};
  const ref = shape.members![shape.payload]!;
  const type = model.shapes[ref.shape]?.type;
  if (operation === 'PutBucketPolicy') {
    const text = String(input[shape.payload]);
    try {
      return { bucketPolicy: JSON.parse(text) };
    } catch {
      return { bucketPolicy: text };
    }
  }
  if (type !== 'structure') return {};
  const root = ref.locationName ?? shape.payload;
  const doc = xml.parse(body.toString('utf8')) as Record<string, unknown>;
  return doc[root] === undefined ? {} : { [root]: doc[root] };
}
