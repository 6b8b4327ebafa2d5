/**
 * Amazon S3 (REST-XML, path-style; regional: recorded in the SigV4 scope's region), over an object
 * store (docs/architecture.md#delivery): the embedded one by default.
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { ObjectStore } from '../../objects/index.ts';
import { loadModel } from '../../protocol/model.ts';
import type { RecordedTransfer, ServiceDef } from '../types.ts';
import { hostId } from '../../protocol/rest-xml/errors.ts';
import { corsResponseHeaders } from './cors.ts';
import { handlers } from './handlers.ts';
import { bucketRegionHeader, regionOf, scopeRegionError } from './region-hints.ts';
import { s3ResponseRecord } from './records.ts';

export { validateBucketPolicy } from './policies.ts';
export { bucketArn, objectArn } from './access.ts';
export { preflight as s3Preflight } from './cors.ts';

export function s3Service(objects: ObjectStore, destinations?: Destinations): ServiceDef {
  const model = loadModel('s3');
  return {
    name: 's3',
    eventSource: 's3.amazonaws.com',
    actionPrefix: 's3',
    global: false,
    model,
    operations: handlers(objects, destinations),
    scopeRegionError: (req, region) => scopeRegionError(objects, req, region),
    // unsigned requests are the anonymous caller's, recorded in the bucket's region (docs/s3.md#anonymous-requests)
    anonymousRegion: (req) => regionOf(objects, req.rawPath),
    responseHeaders: async (req, operation, failed) => ({
      ...(await bucketRegionHeader(objects, req.rawPath, operation, failed)),
      ...(await corsResponseHeaders(objects, req)),
    }),
    recordResponse: (operation, output, members) => s3ResponseRecord(model, operation, output, members),
    additionalEventData: s3AdditionalEventData,
  };
}

/**
 * additionalEventData of S3 records, fields in the order of the examples of
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html:
 * SignatureVersion and AuthenticationMethod for a signed call (no CipherSuite: startrail speaks plain
 * HTTP), bytesTransferredIn (the request body; an object's bytes as decoded), x-amz-id-2, bytesTransferredOut (the object bytes an
 * answer carries). Server access logs read their bytes from here (docs/s3.md#server-access-logging).
 */
export function s3AdditionalEventData(c: RecordedTransfer): Record<string, unknown> {
  const body = (c.output as { Body?: unknown } | undefined)?.Body;
  const out = c.failed ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.length : 0;
  // an object body counts as sent, unframed (an aws-chunked upload's chunk signatures are not its bytes)
  const sent = c.input?.Body;
  return {
    ...(c.authentication ? { SignatureVersion: 'SigV4' } : {}),
    bytesTransferredIn: sent instanceof Uint8Array ? sent.length : c.bytesIn,
    ...(c.authentication ? { AuthenticationMethod: c.authentication } : {}),
    'x-amz-id-2': hostId(c.requestId),
    bytesTransferredOut: out,
  };
}
