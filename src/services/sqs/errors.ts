/**
 * SQS errors with AWS's codes and messages (docs/sqs.md#errors). The modelled ones as the SQS model
 * says (errors/model-errors.ts), each with its Query code; the common ones SQS answers for bad
 * parameters (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html)
 * carry the same code in both protocols.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const sqs = modelErrors(ERRORS);

const common = (code: string, message: string, status = 400) => new AwsError(code, message, status, 'Sender', code);

export const invalidParameterValue = (message: string) => common('InvalidParameterValue', message);
export const missingParameter = (name: string) => common('MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidValue = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

export const queueDoesNotExist = () => sqs('QueueDoesNotExist', 'The specified queue does not exist.');
export const queueDeletedRecently = () =>
  sqs('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
export const queueNameExists = (attribute: string) =>
  sqs('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
export const invalidAddress = (url: string) => sqs('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
export const invalidAttributeName = (name: string) => sqs('InvalidAttributeName', `Unknown Attribute ${name}.`);
export const invalidAttributeValue = (name: string, detail?: string) =>
  sqs('InvalidAttributeValue', detail ? `Invalid value for the parameter ${name}. Reason: ${detail}` : `Invalid value for the parameter ${name}.`);
export const receiptHandleIsInvalid = (handle: string) => sqs('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
export const messageNotInflight = () => sqs('MessageNotInflight', 'Message is not in flight.');
export const invalidMessageContents = () =>
  sqs(
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );
export const purgeInProgress = (arn: string) =>
  sqs('PurgeQueueInProgress', `Only one PurgeQueue operation on ${arn.split(':').pop()} is allowed every 60 seconds.`);
export const emptyBatch = (entry: string) => sqs('EmptyBatchRequest', `There should be at least one ${entry} in the request.`);
export const tooManyEntries = (n: number) => sqs('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${n}.`);
export const idsNotDistinct = (id: string) => sqs('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
export const invalidBatchEntryId = () =>
  sqs('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
export const batchTooLong = (limit: number, sent: number) =>
  sqs('BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`);
export const overLimit = (message: string) => sqs('OverLimit', message);
