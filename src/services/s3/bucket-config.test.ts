import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEncryption, checkOwnership, checkPublicAccessBlock, checkTagSet } from './bucket-config.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'ok';
};

test('tag sets: unique keys, lengths, no aws: prefix, at most 50', () => {
  assert.equal(
    code(() => checkTagSet([{ Key: 'a', Value: '1' }])),
    'ok',
  );
  assert.equal(
    code(() =>
      checkTagSet([
        { Key: 'a', Value: '1' },
        { Key: 'a', Value: '2' },
      ]),
    ),
    'InvalidRequest',
  );
  assert.equal(
    code(() => checkTagSet([{ Key: 'aws:x', Value: '1' }])),
    'InvalidArgument',
  );
  assert.equal(
    code(() => checkTagSet([{ Key: '', Value: '1' }])),
    'InvalidArgument',
  );
  assert.equal(
    code(() => checkTagSet(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })))),
    'InvalidRequest',
  );
});

test('encryption: one rule, AES256 or aws:kms; ownership: one known rule; public access block: four flags', () => {
  assert.deepEqual(checkEncryption({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } }] }), {
    Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' }, BucketKeyEnabled: false }],
  });
  assert.equal(
    code(() => checkEncryption({ Rules: [] })),
    'MalformedXML',
  );
  assert.equal(
    code(() => checkEncryption({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' } }] })),
    'InvalidArgument',
  );
  assert.equal(
    code(() => checkOwnership({ Rules: [{ ObjectOwnership: 'Nope' as never }] })),
    'MalformedXML',
  );
  assert.deepEqual(checkPublicAccessBlock({ BlockPublicPolicy: true }), {
    BlockPublicAcls: false,
    IgnorePublicAcls: false,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: false,
  });
});
