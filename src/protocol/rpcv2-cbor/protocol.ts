/**
 * Smithy RPC v2 CBOR as a protocol object (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html):
 * `POST /service/<ServiceName>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`, CBOR
 * bodies both ways, and errors as a CBOR map `{__type, message}` whose `__type` names the error's
 * shape; every response carries `smithy-protocol: rpc-v2-cbor` (the SDKs refuse one without it).
 * The common errors are spelt as AWS's JSON services spell them (aws-json/protocol.ts). Bodies may
 * be gzipped (requestBody in index.ts).
 */
import { jsonErrors } from '../aws-json/protocol.ts';
import type { AwsError } from '../../errors/aws-error.ts';
import type { ServiceModel } from '../model.ts';
import { responseDate, type ResponseMeta, type WireProtocol, type WireRequest, type WireResponse } from '../wire.ts';
import { CBOR_CONTENT_TYPE, decodeCbor, encodeCborValue, parseCborBody, requestBody, serializeCbor } from './index.ts';

/** The largest body accepted once inflated (a gzipped request can be far smaller on the wire). */
export const INFLATED_LIMIT = 4 << 20;

/** `/service/<name>/operation/<op>`: the service and operation a request names, if it is one. */
export function rpcPath(rawPath: string): { service: string; operation: string } | undefined {
  const m = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(rawPath);
  if (!m) return undefined;
  try {
    return { service: decodeURIComponent(m[1]!), operation: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

export const cborHeaders = (meta: ResponseMeta): Record<string, string> => ({
  'content-type': CBOR_CONTENT_TYPE,
  'smithy-protocol': 'rpc-v2-cbor',
  'x-amzn-requestid': meta.requestId,
  date: responseDate(),
});

/** The error's shape name: the model's error shape whose code it is, else the code itself. */
export function errorShapeName(model: ServiceModel | undefined, code: string): string {
  if (model) {
    for (const [name, shape] of Object.entries(model.shapes)) if (shape.exception && (shape.error?.code ?? name) === code) return name;
  }
  return code;
}

export const rpcv2Cbor: WireProtocol = {
  name: 'smithyRpcv2Cbor',
  // the service is named by its target prefix (in the path), as the JSON protocols name it in X-Amz-Target
  addressing: 'target',
  validation: {},
  errors: jsonErrors,
  decode(model: ServiceModel, operation: string, req: WireRequest): Record<string, unknown> {
    const raw = parseCborBody(requestBody(req, INFLATED_LIMIT));
    const shape = model.operations[operation]?.input;
    return shape ? ((decodeCbor(model, shape, raw) as Record<string, unknown> | undefined) ?? {}) : {};
  },
  encodeResult(model: ServiceModel, operation: string, output: unknown, meta: ResponseMeta): WireResponse {
    const shape = model.operations[operation]?.output;
    return { status: 200, headers: cborHeaders(meta), body: serializeCbor(encodeCborValue(model, shape, output ?? {}) ?? {}) };
  },
  encodeError(model: ServiceModel | undefined, error: AwsError, meta: ResponseMeta): WireResponse {
    return { status: error.status, headers: cborHeaders(meta), body: serializeCbor({ __type: errorShapeName(model, error.code), message: error.message }) };
  },
};
