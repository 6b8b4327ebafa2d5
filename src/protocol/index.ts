/**
 * The wire protocols (wire.ts) and which one a service's model speaks: its `protocol` and, for JSON,
 * its `jsonVersion` (botocore model metadata).
 */
import { awsJson1_0, awsJson1_1 } from './aws-json/protocol.ts';
import { awsQuery, snsQuery } from './aws-query/protocol.ts';
import type { ServiceModel } from './model.ts';
import { restXml } from './rest-xml/protocol.ts';
import { rpcv2Cbor } from './rpcv2-cbor/protocol.ts';
import type { WireProtocol } from './wire.ts';

export { awsJson1_0, awsJson1_1, awsQuery, restXml, rpcv2Cbor };
export type { CommonErrors, WireProtocol, WireRequest, WireResponse } from './wire.ts';

const BY_MODEL: Record<string, WireProtocol> = {
  'json 1.0': awsJson1_0,
  'json 1.1': awsJson1_1,
  query: awsQuery,
  'rest-xml': restXml,
  'smithy-rpc-v2-cbor': rpcv2Cbor,
};

export function protocolOf(model: ServiceModel): WireProtocol {
  const { protocol, jsonVersion } = model.metadata;
  if (model.metadata.serviceId === 'SNS') return snsQuery;
  const wire = BY_MODEL[protocol === 'smithy-rpc-v2-cbor' ? protocol : jsonVersion ? `${protocol} ${jsonVersion}` : protocol];
  if (!wire) throw new Error(`model ${model.metadata.serviceId}: protocol ${protocol} ${jsonVersion ?? ''} is not served`);
  return wire;
}

/**
 * The protocol that answers a request no service could be found for (an unknown X-Amz-Target
 * prefix, a form that cannot be read): AWS JSON 1.1.
 */
export const FALLBACK_PROTOCOL: WireProtocol = awsJson1_1;
