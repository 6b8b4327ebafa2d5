import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from './model.ts';
import { formatValidationMessage, validateInput } from './validate.ts';

const codestar = loadModel('codestar');
const iam = loadModel('iam');

test('CreateProject rejects an id over 15 characters with AWS message form', () => {
  const errors = validateInput(codestar, 'CreateProjectRequest', { name: 'n', id: 'abcdefghijklmnop' });
  assert.deepEqual(errors, ["Value 'abcdefghijklmnop' at 'id' failed to satisfy constraint: Member must have length less than or equal to 15"]);
  assert.equal(
    formatValidationMessage(errors),
    "1 validation error detected: Value 'abcdefghijklmnop' at 'id' failed to satisfy constraint: Member must have length less than or equal to 15",
  );
});

test('CreateProject reports missing required members as null', () => {
  const errors = validateInput(codestar, 'CreateProjectRequest', {});
  assert.deepEqual(errors, [
    "Value null at 'name' failed to satisfy constraint: Member must not be null",
    "Value null at 'id' failed to satisfy constraint: Member must not be null",
  ]);
  assert.match(formatValidationMessage(errors), /^2 validation errors detected: /);
});

test('pattern violations quote the model pattern; sensitive members omit the value', () => {
  const errors = validateInput(codestar, 'CreateProjectRequest', { name: ' bad', id: '9abc' });
  assert.deepEqual(errors, [
    "Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\S(.*\\S)?$",
    "Value '9abc' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z][a-z0-9-]+$",
  ]);
});

test('enum, range and nested paths', () => {
  assert.deepEqual(
    validateInput(codestar, 'AssociateTeamMemberRequest', { projectId: 'p1', userArn: 'arn:aws:iam::123456789012:user/alice', projectRole: 'Boss' }),
    ["Value 'Boss' at 'projectRole' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(Owner|Viewer|Contributor)$"],
  );
  assert.deepEqual(validateInput(codestar, 'ListProjectsRequest', { maxResults: 101 }), [
    "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  ]);
  assert.deepEqual(validateInput(codestar, 'ListProjectsRequest', { maxResults: 0 }), [
    "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  ]);
});

test('map keys are checked; Java patterns with \\p{L} compile', () => {
  const ok = validateInput(codestar, 'TagProjectRequest', { id: 'proj', tags: { 'team é': 'a' } });
  assert.deepEqual(ok, []);
  const long = 'k'.repeat(129);
  const errors = validateInput(codestar, 'TagProjectRequest', { id: 'proj', tags: { [long]: 'a' } });
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]!,
    /^Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 128\]/,
  );
});

test('Query services name members in lowerCamel', () => {
  const errors = validateInput(iam, 'CreateUserRequest', { UserName: 'bad name!' }, { lowerFirst: true });
  assert.deepEqual(errors, ["Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"]);
});
