/** CloudTrail's LookupEvents errors (spec cloudtrail-codestar §c; shapes from the CloudTrail model, HTTP 400). */
import { AwsError } from '../../errors/aws-error.ts';

export const invalidLookupAttributes = (message: string) => new AwsError('InvalidLookupAttributesException', message, 400);

export const invalidTimeRange = () =>
  new AwsError('InvalidTimeRangeException', 'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.', 400);

export const invalidMaxResults = (value: number) =>
  new AwsError('InvalidMaxResultsException', `MaxResults ${value} is not valid. MaxResults must be between 1 and 50.`, 400);

export const invalidNextToken = () =>
  new AwsError('InvalidNextTokenException', 'A token that is not valid, or a token that was previously used in a request with different parameters.', 400);

export const invalidEventCategory = (value: string) =>
  new AwsError('InvalidEventCategoryException', `Event category ${value} is not valid. The only valid event category is insight.`, 400);
