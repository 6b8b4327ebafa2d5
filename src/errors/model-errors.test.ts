/** The modelled errors take code, status and fault from the generated tables. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRORS as CODESTAR } from '../services/codestar/model.generated.ts';
import { ERRORS as IAM } from '../services/iam/model.generated.ts';
import { noSuchBucket } from '../services/s3/errors.ts';
import { modelErrors } from './model-errors.ts';

test("IAM's awsQueryError codes and statuses: NoSuchEntity 404, EntityAlreadyExists 409, ServiceFailure 500 (Receiver)", () => {
  const iam = modelErrors(IAM);
  const seen = (['NoSuchEntity', 'EntityAlreadyExists', 'LimitExceeded', 'DeleteConflict', 'InvalidInput', 'ServiceFailure'] as const).map((c) => iam(c, 'm'));
  assert.deepEqual(
    seen.map((e) => [e.code, e.status, e.fault, e.message]),
    [
      ['NoSuchEntity', 404, 'Sender', 'm'],
      ['EntityAlreadyExists', 409, 'Sender', 'm'],
      ['LimitExceeded', 409, 'Sender', 'm'],
      ['DeleteConflict', 409, 'Sender', 'm'],
      ['InvalidInput', 400, 'Sender', 'm'],
      ['ServiceFailure', 500, 'Receiver', 'm'],
    ],
  );
});

test('a JSON service without error traits: 400, Sender', () => {
  const e = modelErrors(CODESTAR)('ProjectNotFoundException', 'gone');
  assert.deepEqual([e.code, e.status, e.fault], ['ProjectNotFoundException', 400, 'Sender']);
});

test("S3's modelled errors: the status the patches give, with S3's details", () => {
  const e = noSuchBucket('b');
  assert.deepEqual([e.code, e.status, e.details], ['NoSuchBucket', 404, { BucketName: 'b' }]);
});

test('a code the table does not have is refused at run time too', () => {
  assert.throws(() => (modelErrors(CODESTAR) as (c: string, m: string) => unknown)('NoSuchEntity', 'x'), /not a modelled error/);
});
