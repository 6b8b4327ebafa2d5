/**
 * CloudWatch errors with AWS's codes and messages (docs/cloudwatch.md#errors): the modelled ones as
 * the model says (errors/model-errors.ts; the codes are the Query codes, which the JSON and CBOR
 * protocols also send in `x-amzn-query-error`), and the common ones CloudWatch answers for bad
 * parameters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html).
 */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const cw = modelErrors(ERRORS);

export const invalidParameterValue = (message: string) => cw('InvalidParameterValue', message);
export const invalidValue = (name: string, value: unknown) => invalidParameterValue(`The value ${String(value)} for parameter ${name} is invalid.`);
export const missingParameter = (name: string) => cw('MissingParameter', `The parameter ${name} is required.`);
export const invalidCombination = (message: string) => cw('InvalidParameterCombination', message);
export const invalidNextToken = () => cw('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken and HTTP Status Code 400');
export const limitExceeded = (message: string) => cw('LimitExceeded', message);
export const alarmNotFound = (name: string) => cw('ResourceNotFound', `Alarm ${name} does not exist`);
export const alarmsNotFound = (names: string[]) =>
  cw('ResourceNotFound', `${names.length === 1 ? 'Alarm' : 'Alarms'} ${names.join(', ')} ${names.length === 1 ? 'does' : 'do'} not exist`);
export const resourceNotFound = (arn: string) => cw('ResourceNotFoundException', `The specified resource ${arn} does not exist.`);
export const invalidFormat = (message: string) => cw('InvalidFormat', message);
/** CloudWatch's own parameter checks: ValidationError in Query (and in x-amzn-query-error), ValidationException in JSON and CBOR, as the model's constraint failures. */
export const validationError = (message: string) => new AwsError('ValidationException', message, 400, 'Sender', 'ValidationError');
