/** NextToken of SNS's list calls (100 per page, https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html): the last ARN of the page, base64url; one no answer gave is InvalidParameter. */
import { invalidParameter } from './errors.ts';

export const PAGE_SIZE = 100;

export const encodeToken = (arn: string) => Buffer.from(arn, 'utf8').toString('base64url');

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const arn = Buffer.from(token, 'base64url').toString('utf8');
  if (!arn.startsWith('arn:aws:sns:') || encodeToken(arn) !== token) throw invalidParameter('NextToken');
  return arn;
}
