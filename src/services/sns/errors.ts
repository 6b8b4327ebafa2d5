/**
 * SNS's errors, with the codes and statuses of the SNS model (errors/model-errors.ts). Messages are
 * the ones AWS answers with (docs/sns.md#errors), e.g. `Invalid parameter: Topic Name`,
 * `Topic does not exist` (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors).
 */
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const e = modelErrors(ERRORS);

export const invalidParameter = (detail: string) => e('InvalidParameter', `Invalid parameter: ${detail}`);
export const topicNotFound = () => e('NotFound', 'Topic does not exist');
export const subscriptionNotFound = () => e('NotFound', 'Subscription does not exist');
export const resourceNotFound = () => e('ResourceNotFound', 'Resource does not exist');
export const topicLimitExceeded = () => e('TopicLimitExceeded', 'Topic limit exceeded');
export const tagLimitExceeded = () => e('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
export const emptyBatch = () => e('EmptyBatchRequest', "The batch request doesn't contain any entries.");
export const tooManyEntries = () => e('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
export const idsNotDistinct = () => e('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
export const invalidBatchEntryId = () => e('InvalidBatchEntryId', "The Id of a batch entry in a batch request doesn't abide by the specification.");
export const batchTooLong = () => e('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
