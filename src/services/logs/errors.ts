/**
 * CloudWatch Logs errors with AWS's codes and messages (docs/logs.md#errors), as the Logs API
 * Reference lists them per operation (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html).
 * Constraint violations are InvalidParameterException with the generic "N validation errors
 * detected: …" text (index.ts).
 */
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const logs = modelErrors(ERRORS);

export const invalidParameter = (message: string) => logs('InvalidParameterException', message);
export const groupNotFound = () => logs('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = () => logs('ResourceNotFoundException', 'The specified log stream does not exist.');
export const filterNotFound = () => logs('ResourceNotFoundException', 'The specified resource does not exist.');
export const policyNotFound = (name: string) => logs('ResourceNotFoundException', `Policy with name [${name}] does not exist`);
export const groupExists = () => logs('ResourceAlreadyExistsException', 'The specified log group already exists');
export const streamExists = () => logs('ResourceAlreadyExistsException', 'The specified log stream already exists');
export const limitExceeded = () => logs('LimitExceededException', 'Resource limit exceeded.');
export const tooManyTags = (arn: string) => logs('TooManyTagsException', `A resource can have no more than 50 tags: ${arn}`);
export const invalidToken = () => invalidParameter('The specified nextToken is invalid.');
/** https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/protecting-log-groups-from-deletion.html */
export const deletionProtected = () =>
  logs('ValidationException', 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.');
