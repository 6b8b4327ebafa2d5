/**
 * EventBridge's errors, with the codes of its model (errors/model-errors.ts) and the messages AWS
 * answers with (docs/eventbridge.md#errors; https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html).
 * ValidationException is common to the JSON protocol, so it is built in place.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const e = modelErrors(ERRORS);

export const validation = (message: string) => new AwsError('ValidationException', message, 400);
export const busNotFound = (name: string) => e('ResourceNotFoundException', `Event bus ${name} does not exist.`);
export const ruleNotFound = (name: string, bus: string) => e('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
export const connectionNotFound = (name: string) =>
  e('ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`);
export const destinationNotFound = (name: string) =>
  e('ResourceNotFoundException', `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
export const resourceNotFound = (message: string) => e('ResourceNotFoundException', message);
export const alreadyExists = (message: string) => e('ResourceAlreadyExistsException', message);
export const limitExceeded = (message = 'The requested resource exceeds the maximum number allowed.') => e('LimitExceededException', message);
export const invalidPattern = (message: string) => e('InvalidEventPatternException', message);
export const managedRule = (message: string) => e('ManagedRuleException', message);
export const policyTooLong = () => e('PolicyLengthExceededException', 'The policy document is too large.');
export const invalidToken = () => validation('The NextToken provided is invalid.');
