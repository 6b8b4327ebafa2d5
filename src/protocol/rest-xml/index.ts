/**
 * AWS REST-XML, as S3 speaks it (smithy.io restXml; S3 API Reference), path-style addressing:
 * routing by method + path + query, request decoding from uri/query/header/payload (aws-chunked
 * bodies included), response and error encoding, and the form CloudTrail records of a request. Knows
 * the model, never a service.
 */
export { routeRequest, routesOf, pathKind, SUBRESOURCES, type PathKind, type Route, type RouteResult } from './routes.ts';
export { decodeRestXml, pathLabels, parseQueryStrict, type RestRequest } from './decode.ts';
export { decodeAwsChunked, isAwsChunked, withoutAwsChunked, type ChunkedBody } from './aws-chunked.ts';
export { computeChecksum, verifyIntegrity, CHECKSUM_HEADERS, type FlexibleAlgorithm } from './checksums.ts';
export { encodeRestXmlResponse, S3_NAMESPACE, XML_CONTENT_TYPE, type RestXmlResponse } from './encode.ts';
export { encodeRestXmlError, hostId, methodNotAllowed, notImplemented, refusalError, withDetails, type DetailedError } from './errors.ts';
export { restXml, restXmlErrors } from './protocol.ts';
export { S3_MAX_BODY_BYTES } from './limits.ts';
export { RECORD_FORM, recordForm } from './record.ts';
