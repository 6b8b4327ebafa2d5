/**
 * IAM's own messages for names and paths that break their pattern, instead of the generic
 * "1 validation error detected: … Member must satisfy regular expression pattern: …" (the wording
 * real IAM answers, as a peer's test suite recorded it against AWS; docs/iam.md#validation):
 *   The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-
 *   The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.
 * Other violations (lengths, required members) keep the generic form.
 */
const PATTERN = /^Value '[\s\S]*' at '(\w+)' failed to satisfy constraint: Member must satisfy regular expression pattern: /;

const NAMES = new Set(['userName', 'roleName', 'groupName', 'policyName', 'newUserName', 'newGroupName', 'instanceProfileName']);
const PATHS = new Set(['path', 'newPath', 'pathPrefix']);

export function iamValidationMessage(errors: string[]): string | undefined {
  const member = PATTERN.exec(errors[0] ?? '')?.[1];
  if (member && NAMES.has(member))
    return `The specified value for ${member} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`;
  if (member && PATHS.has(member))
    return `The specified value for ${member} is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`;
  return undefined;
}
