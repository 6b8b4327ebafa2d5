/** STS errors with AWS's codes and messages; the modelled ones as the STS model says (errors/model-errors.ts). */
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const sts = modelErrors(ERRORS);

export const malformedPolicy = (message: string) => sts('MalformedPolicyDocument', message);
export const packedPolicyTooLarge = () => sts('PackedPolicyTooLarge', 'Packed policy consumes more than 100 percent of the allotted space.');
export const durationTooLong = (max: number) =>
  new AwsError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.${max ? '' : ''}`, 400);
export const chainedDurationTooLong = () =>
  new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
export const rootCannotAssume = () => new AwsError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
export const sessionCredentialsRefused = (op: string) => new AwsError('AccessDenied', `Cannot call ${op} with session credentials`, 403);
export const invalidRoleArn = (arn: string) => new AwsError('ValidationError', `${arn} is invalid`, 400);
export const noSuchRole = (arn: string) => new AwsError('AccessDenied', `Not authorized to perform sts:AssumeRole on ${arn}`, 403);
