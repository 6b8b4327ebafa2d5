/**
 * AWS REST-XML, as S3 speaks it (smithy.io restXml; S3 API Reference), path-style addressing:
 * routing by method + path + query, request decoding from uri/query/header/payload (aws-chunked
 * bodies included), response and error encoding. Knows the model, never a service.
 */
export { routeRequest, routesOf, pathKind, SUBRESOURCES, type PathKind, type Route, type RouteResult } from './routes.ts';
export { decodeRestXml, pathLabels, parseQueryStrict, type RestRequest } from './decode.ts';
export { decodeAwsChunked, isAwsChunked, withoutAwsChunked, type ChunkedBody } from './aws-chunked.ts';
export { computeChecksum, verifyIntegrity, CHECKSUM_HEADERS, type FlexibleAlgorithm } from './checksums.ts';
export { encodeRestXmlResponse, S3_NAMESPACE, XML_CONTENT_TYPE, type RestXmlResponse } from './encode.ts';
export { encodeRestXmlError, hostId, methodNotAllowed, notImplemented, restXmlError, withDetails, type DetailedError } from './errors.ts';

/**
 * Bodies on the S3 route are buffered up to this size (the HTTP edge's limit for requests signed
 * for s3). AWS allows 5 GiB in one PUT; larger uploads need multipart, which is not served yet.
 */
export const S3_MAX_BODY_BYTES = 64 * 1024 * 1024;
