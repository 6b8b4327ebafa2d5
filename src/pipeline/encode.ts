/**
 * Step 7: the response or error in the protocol's form, with x-amzn-RequestId and a Date header (SDKs
 * correct clock skew from it). S3 (REST-XML) also names the request x-amz-request-id / x-amz-id-2, and
 * spells the common errors its own way (`protocolError`, applied before the failure is recorded).
 */
import type { AwsError } from '../errors/aws-error.ts';
import { encodeJsonError, encodeJsonValue, JSON_CONTENT_TYPE } from '../protocol/aws-json/index.ts';
import { encodeQueryError, encodeQueryResponse, XML_CONTENT_TYPE } from '../protocol/aws-query/index.ts';
import { encodeRestXmlError, encodeRestXmlResponse, hostId, restXmlError, XML_CONTENT_TYPE as REST_XML_CONTENT_TYPE } from '../protocol/rest-xml/index.ts';
import type { Call, HttpResponse } from './call.ts';

function headers(call: Call, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'x-amzn-requestid': call.requestId, date: new Date().toUTCString() };
}

function s3Headers(call: Call): Record<string, string> {
  return { 'x-amzn-requestid': call.requestId, 'x-amz-request-id': call.requestId, 'x-amz-id-2': hostId(call.requestId), date: new Date().toUTCString() };
}

/** The error as the call's protocol spells it (S3's codes for the common errors); others unchanged. */
export function protocolError(call: Call, error: AwsError): AwsError {
  return call.target?.protocol === 'rest-xml' ? restXmlError(error, call.claimedAccessKeyId) : error;
}

export function encodeSuccess(call: Call, output: unknown): HttpResponse {
  const { service, operation, protocol } = call.target!;
  const model = service.model;
  if (protocol === 'rest-xml') {
    const r = encodeRestXmlResponse(model, operation!, output);
    return { status: r.status, headers: { ...s3Headers(call), ...r.headers }, body: r.body };
  }
  if (protocol === 'json') {
    const shape = model.operations[operation!]!.output;
    const body = JSON.stringify(encodeJsonValue(model, shape, output ?? {}) ?? {});
    return { status: 200, headers: headers(call, JSON_CONTENT_TYPE), body };
  }
  return { status: 200, headers: headers(call, XML_CONTENT_TYPE), body: encodeQueryResponse(model, operation!, output, call.requestId) };
}

export function encodeError(call: Call, error: AwsError): HttpResponse {
  const protocol = call.target?.protocol ?? 'json';
  if (protocol === 'rest-xml') {
    const { status, body } = encodeRestXmlError(protocolError(call, error), call.requestId);
    return { status, headers: { ...s3Headers(call), 'content-type': REST_XML_CONTENT_TYPE }, body };
  }
  if (protocol === 'query') {
    const ns = call.target!.service.model.metadata.xmlNamespace ?? '';
    const { status, body } = encodeQueryError(ns, error, call.requestId);
    return { status, headers: headers(call, XML_CONTENT_TYPE), body };
  }
  const { status, body } = encodeJsonError(error);
  return { status, headers: headers(call, JSON_CONTENT_TYPE), body };
}
