/**
 * SQS is served over two protocols, chosen per request (docs/sqs.md#protocols): AWS JSON 1.0
 * (`X-Amz-Target: AmazonSQS.<Op>`, current SDKs) and AWS Query (`Action=<Op>&Version=2012-11-05`
 * forms, older CLIs and SDKs). The model is JSON with `awsQueryCompatible`: a JSON error carries
 * its Query code in `x-amzn-query-error: <code>;<Sender|Receiver>`
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait),
 * and the Query protocol writes that code in <Code>. The JSON model has no Query member names; the
 * old Query serialization (flattened lists and maps, `Attribute.1.Name`, `MessageAttribute.1.Value.StringValue`,
 * `SendMessageBatchRequestEntry.1.Id`, `Tag.1.Key`, `<Message>`, `<QueueUrl>` …), as the SQS API
 * Reference shows it (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * "Examples", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html),
 * is restated below as a view of the model. Requests posted to a queue URL (`/<account>/<name>`)
 * without a QueueUrl get it from the path.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { awsJson1_0, awsQuery, type CommonErrors, type WireProtocol, type WireRequest } from '../../protocol/index.ts';
import type { ServiceModel, Shape } from '../../protocol/model.ts';
import { refFromPath } from './names.ts';

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Query names of members (the wire name of each flattened list is its item's name). */
const MEMBER_NAMES: Record<string, Record<string, string>> = {
  CreateQueueRequest: { Attributes: 'Attribute', tags: 'Tag' },
  AddPermissionRequest: { AWSAccountIds: 'AWSAccountId', Actions: 'ActionName' },
  GetQueueAttributesRequest: { AttributeNames: 'AttributeName' },
  GetQueueAttributesResult: { Attributes: 'Attribute' },
  SetQueueAttributesRequest: { Attributes: 'Attribute' },
  ListQueuesResult: { QueueUrls: 'QueueUrl' },
  ListDeadLetterSourceQueuesResult: { queueUrls: 'QueueUrl' },
  ListQueueTagsResult: { Tags: 'Tag' },
  TagQueueRequest: { Tags: 'Tag' },
  UntagQueueRequest: { TagKeys: 'TagKey' },
  ReceiveMessageRequest: {
    AttributeNames: 'AttributeName',
    MessageAttributeNames: 'MessageAttributeName',
    MessageSystemAttributeNames: 'MessageSystemAttributeName',
  },
  ReceiveMessageResult: { Messages: 'Message' },
  Message: { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute' },
  MessageAttributeValue: { StringListValues: 'StringListValue', BinaryListValues: 'BinaryListValue' },
  MessageSystemAttributeValue: { StringListValues: 'StringListValue', BinaryListValues: 'BinaryListValue' },
  SendMessageRequest: { MessageAttributes: 'MessageAttribute', MessageSystemAttributes: 'MessageSystemAttribute' },
  SendMessageBatchRequestEntry: { MessageAttributes: 'MessageAttribute', MessageSystemAttributes: 'MessageSystemAttribute' },
  SendMessageBatchRequest: { Entries: 'SendMessageBatchRequestEntry' },
  SendMessageBatchResult: { Successful: 'SendMessageBatchResultEntry', Failed: 'BatchResultErrorEntry' },
  DeleteMessageBatchRequest: { Entries: 'DeleteMessageBatchRequestEntry' },
  DeleteMessageBatchResult: { Successful: 'DeleteMessageBatchResultEntry', Failed: 'BatchResultErrorEntry' },
  ChangeMessageVisibilityBatchRequest: { Entries: 'ChangeMessageVisibilityBatchRequestEntry' },
  ChangeMessageVisibilityBatchResult: { Successful: 'ChangeMessageVisibilityBatchResultEntry', Failed: 'BatchResultErrorEntry' },
};
/** Lists that are not flattened: their items are `<Name>.member.N`. */
const NESTED_LISTS = new Set(['StringList', 'BinaryList']);

/** The model as the Query protocol reads and writes it. */
export function queryModel(model: ServiceModel): ServiceModel {
  const shapes: Record<string, Shape> = {};
  for (const [name, shape] of Object.entries(model.shapes)) {
    const s: Shape = { ...shape };
    if ((s.type === 'list' && !NESTED_LISTS.has(name)) || s.type === 'map') s.flattened = true;
    if (s.type === 'map') {
      const [k, v] = name === 'TagMap' ? ['Key', 'Value'] : ['Name', 'Value'];
      s.key = { ...s.key!, locationName: k };
      s.value = { ...s.value!, locationName: v };
    }
    const names = MEMBER_NAMES[name];
    if (s.members && names)
      s.members = Object.fromEntries(Object.entries(s.members).map(([m, ref]) => [m, names[m] ? { ...ref, locationName: names[m] } : ref]));
    shapes[name] = s;
  }
  const operations = Object.fromEntries(
    Object.entries(model.operations).map(([name, op]) => [name, op.output ? { ...op, resultWrapper: `${name}Result` } : op]),
  );
  return { ...model, metadata: { ...model.metadata, protocol: 'query', xmlNamespace: XMLNS }, operations, shapes };
}

/**
 * The copy of the model the validator and the audit records see. SQS answers missing and unknown
 * values with its own errors (handlers), so `required` and enums go; and message bodies are
 * recorded as HIDDEN_DUE_TO_SECURITY_REASONS, as AWS's SendMessage record shows
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-logging-using-cloudtrail.html),
 * by giving them a `sensitive` string shape.
 */
export function validatorModel(model: ServiceModel): ServiceModel {
  const shapes: Record<string, Shape> = Object.fromEntries(
    Object.entries(model.shapes).map(([name, s]) => {
      const { required: _r, enum: _e, ...rest } = s;
      return [name, rest as Shape];
    }),
  );
  shapes.SensitiveMessageBody = { type: 'string', sensitive: true };
  for (const name of ['SendMessageRequest', 'SendMessageBatchRequestEntry']) {
    const s = shapes[name]!;
    shapes[name] = { ...s, members: { ...s.members, MessageBody: { ...s.members!.MessageBody!, shape: 'SensitiveMessageBody' } } };
  }
  return { ...model, shapes };
}

/** QueueUrl from the request path when the input has none (requests posted to the queue's URL). */
function withPathQueueUrl(model: ServiceModel, operation: string, req: WireRequest, input: Record<string, unknown>): Record<string, unknown> {
  const shape = model.operations[operation]?.input;
  if (!shape || !model.shapes[shape]?.members?.QueueUrl || input.QueueUrl !== undefined) return input;
  const ref = refFromPath(req.rawPath);
  if (!ref) return input;
  const host = req.headers.host;
  return { ...input, QueueUrl: `http://${Array.isArray(host) ? host[0] : (host ?? 'localhost')}${req.rawPath}` };
}

const withQuery = (e: AwsError, queryCode: string) => new AwsError(e.code, e.message, e.status, e.fault, queryCode);

function sqsErrors(base: CommonErrors, json: boolean): CommonErrors {
  return {
    ...base,
    // what the validator still checks (types, ranges) SQS reports as a bad parameter value
    validation: (message) => new AwsError('InvalidParameterValue', message, 400, 'Sender', 'InvalidParameterValue'),
    malformedBody: (detail) => (json ? withQuery(base.malformedBody(detail), 'MalformedQueryString') : base.malformedBody(detail)),
    unknownOperation: (op, version) => (json ? withQuery(base.unknownOperation(op, version), 'InvalidAction') : base.unknownOperation(op, version)),
    sigv4: (f) => {
      const e = base.sigv4(f);
      return json ? withQuery(e, e.code.replace(/Exception$/, '').replace('InvalidSignature', 'SignatureDoesNotMatch')) : e;
    },
    unrecognizedClient: (k) => (json ? withQuery(base.unrecognizedClient(k), 'InvalidClientTokenId') : base.unrecognizedClient(k)),
    expiredToken: () => (json ? withQuery(base.expiredToken(), 'ExpiredToken') : base.expiredToken()),
    accessDenied: (m) => {
      const e = base.accessDenied(m);
      return json ? new AwsError(e.code, e.message, 403, 'Sender', 'AccessDenied') : e;
    },
    throttling: () => (json ? withQuery(base.throttling(), 'RequestThrottled') : base.throttling()),
  };
}

/** AWS JSON 1.0 with the Query code of each error in x-amzn-query-error. */
export const sqsJson: WireProtocol = {
  ...awsJson1_0,
  errors: sqsErrors(awsJson1_0.errors, true),
  decode(model, operation, req, form) {
    return withPathQueueUrl(model, operation, req, awsJson1_0.decode(model, operation, req, form));
  },
  encodeError(model, error, meta) {
    const res = awsJson1_0.encodeError(model, error, meta);
    const code = error.queryCode ?? error.code;
    return { ...res, headers: { ...res.headers, 'x-amzn-query-error': `${code};${error.fault}` } };
  },
};

/** AWS Query over the Query view of the model; errors carry their Query codes. */
export function sqsQuery(model: ServiceModel): WireProtocol {
  const view = queryModel(model);
  return {
    ...awsQuery,
    validation: {},
    errors: sqsErrors(awsQuery.errors, false),
    decode(_model, operation, req, form) {
      return withPathQueueUrl(view, operation, req, awsQuery.decode(view, operation, req, form));
    },
    encodeResult(_model, operation, output, meta) {
      return awsQuery.encodeResult(view, operation, output, meta);
    },
    encodeError(_model, error, meta) {
      const e = error.queryCode ? new AwsError(error.queryCode, error.message, error.status, error.fault) : error;
      return awsQuery.encodeError(view, e, meta);
    },
  };
}
