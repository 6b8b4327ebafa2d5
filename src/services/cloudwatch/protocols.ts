/**
 * CloudWatch is served over three protocols, chosen per request (docs/cloudwatch.md#protocols):
 * Smithy RPC v2 CBOR (`/service/GraniteServiceVersion20100801/operation/<Op>`, the model's own),
 * AWS JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`) and AWS Query
 * (`Action=<Op>&Version=2010-08-01`, older CLIs such as Debian's AWS CLI 2.9). The model is
 * `awsQueryCompatible`: a JSON or CBOR error names its shape in `__type` and carries its Query code
 * in `x-amzn-query-error: <code>;<Sender|Receiver>`, from which the SDKs take the error's name
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait).
 */
import { AwsError } from '../../errors/aws-error.ts';
import { awsJson1_0, awsQuery, rpcv2Cbor, type CommonErrors, type WireProtocol, type WireRequest } from '../../protocol/index.ts';
import { errorShapeName, INFLATED_LIMIT } from '../../protocol/rpcv2-cbor/protocol.ts';
import { requestBody } from '../../protocol/rpcv2-cbor/index.ts';
import type { ServiceModel } from '../../protocol/model.ts';

const withQuery = (e: AwsError, queryCode: string) => new AwsError(e.code, e.message, e.status, e.fault, queryCode);

/** The JSON spellings of the common errors, each with the code CloudWatch's Query protocol gives it. */
function compatibleErrors(base: CommonErrors): CommonErrors {
  return {
    ...base,
    unknownOperation: (op, v) => withQuery(base.unknownOperation(op, v), 'InvalidAction'),
    malformedBody: (d) => withQuery(base.malformedBody(d), 'SerializationException'),
    validation: (m) => withQuery(base.validation(m), 'ValidationError'),
    sigv4: (f) => {
      const e = base.sigv4(f);
      return withQuery(e, e.code.replace(/Exception$/, '').replace('InvalidSignature', 'SignatureDoesNotMatch'));
    },
    unrecognizedClient: (k) => withQuery(base.unrecognizedClient(k), 'InvalidClientTokenId'),
    expiredToken: () => withQuery(base.expiredToken(), 'ExpiredToken'),
    accessDenied: (m) => withQuery(base.accessDenied(m), 'AccessDenied'),
    throttling: () => withQuery(base.throttling(), 'Throttling'),
  };
}

/** The header and the `__type` of a JSON or CBOR error: the shape name for modelled errors, the JSON code otherwise. */
function compat(model: ServiceModel | undefined, error: AwsError): { type: string; header: string } {
  const modelled = error.queryCode === undefined || error.queryCode === error.code;
  return {
    type: modelled ? errorShapeName(model, error.code) : error.code,
    header: `${error.queryCode ?? error.code};${error.fault}`,
  };
}

const inflated = (req: WireRequest): WireRequest => ({ ...req, body: requestBody(req, INFLATED_LIMIT) });

export const cloudWatchJson: WireProtocol = {
  ...awsJson1_0,
  errors: compatibleErrors(awsJson1_0.errors),
  decode(model, operation, req, form) {
    return awsJson1_0.decode(model, operation, inflated(req), form);
  },
  encodeError(model, error, meta) {
    const res = awsJson1_0.encodeError(model, error, meta);
    const { type, header } = compat(model, error);
    return { ...res, headers: { ...res.headers, 'x-amzn-query-error': header }, body: JSON.stringify({ __type: type, message: error.message }) };
  },
};

export const cloudWatchCbor: WireProtocol = {
  ...rpcv2Cbor,
  errors: compatibleErrors(rpcv2Cbor.errors),
  encodeError(model, error, meta) {
    const { header } = compat(model, error);
    const res = rpcv2Cbor.encodeError(
      model,
      error.queryCode && error.queryCode !== error.code ? new AwsError(error.code, error.message, error.status, error.fault) : error,
      meta,
    );
    return { ...res, headers: { ...res.headers, 'x-amzn-query-error': header } };
  },
};

/** AWS Query over the model (its lists are `member.N`, its results wrapped in `<OpResult>`); errors by their Query codes. */
export const cloudWatchQuery: WireProtocol = {
  ...awsQuery,
  encodeError(model, error, meta) {
    const e = error.queryCode && error.queryCode !== error.code ? new AwsError(error.queryCode, error.message, error.status, error.fault) : error;
    return awsQuery.encodeError(model, e, meta);
  },
};
