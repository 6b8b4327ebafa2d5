/** Step 7: the response or error in the protocol's form, with x-amzn-RequestId and a Date header (SDKs correct clock skew from it). */
import type { AwsError } from '../errors/aws-error.ts';
import { encodeJsonError, encodeJsonValue, JSON_CONTENT_TYPE } from '../protocol/aws-json/index.ts';
import { encodeQueryError, encodeQueryResponse, XML_CONTENT_TYPE } from '../protocol/aws-query/index.ts';
import type { Call, HttpResponse } from './call.ts';

function headers(call: Call, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'x-amzn-requestid': call.requestId, date: new Date().toUTCString() };
}

export function encodeSuccess(call: Call, output: unknown): HttpResponse {
  const { service, operation, protocol } = call.target!;
  const model = service.model;
  if (protocol === 'json') {
    const shape = model.operations[operation!]!.output;
    const body = JSON.stringify(encodeJsonValue(model, shape, output ?? {}) ?? {});
    return { status: 200, headers: headers(call, JSON_CONTENT_TYPE), body };
  }
  return { status: 200, headers: headers(call, XML_CONTENT_TYPE), body: encodeQueryResponse(model, operation!, output, call.requestId) };
}

export function encodeError(call: Call, error: AwsError): HttpResponse {
  const protocol = call.target?.protocol ?? 'json';
  if (protocol === 'query') {
    const ns = call.target!.service.model.metadata.xmlNamespace ?? '';
    const { status, body } = encodeQueryError(ns, error, call.requestId);
    return { status, headers: headers(call, XML_CONTENT_TYPE), body };
  }
  const { status, body } = encodeJsonError(error);
  return { status, headers: headers(call, JSON_CONTENT_TYPE), body };
}
