/**
 * AWS Organizations errors with AWS's codes and messages (docs/organizations.md#errors). The codes are
 * the model's (https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html and each
 * operation's Errors section); the messages are the ones AWS answers with where docs/organizations.md
 * records a captured response, else the exception's description in the API reference.
 */
import { modelErrors } from '../../errors/model-errors.ts';
import { ERRORS } from './model.generated.ts';

const orgs = modelErrors(ERRORS);

export const notInUse = () => orgs('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
export const notManagement = () => orgs('AccessDeniedException', "You don't have permissions to access this resource.");
export const alreadyInOrganization = () => orgs('AlreadyInOrganizationException', 'The AWS account is already a member of an organization.');
export const organizationNotEmpty = () =>
  orgs('OrganizationNotEmptyException', 'To delete an organization you must first remove all member accounts (except the master).');
export const accountNotFound = () => orgs('AccountNotFoundException', "You specified an account that doesn't exist.");
export const requestNotFound = () =>
  orgs('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified.");
export const unitNotFound = () => orgs('OrganizationalUnitNotFoundException', "You specified an organizational unit that doesn't exist.");
export const parentNotFound = () => orgs('ParentNotFoundException', "You specified parent that doesn't exist.");
export const childNotFound = () => orgs('ChildNotFoundException', "You specified a child that doesn't exist.");
export const sourceParentNotFound = () => orgs('SourceParentNotFoundException', "You specified a source parent that doesn't exist.");
export const destinationParentNotFound = () => orgs('DestinationParentNotFoundException', "You specified a destination parent that doesn't exist.");
export const duplicateAccount = () => orgs('DuplicateAccountException', 'That account is already present in the specified destination.');
export const duplicateUnit = () => orgs('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
export const unitNotEmpty = () => orgs('OrganizationalUnitNotEmptyException', 'The specified organizational unit is not empty.');
export const depthExceeded = () =>
  orgs('ConstraintViolationException', 'You have exceeded the maximum depth of OUs in your organization. An OU tree can be up to five levels deep.');
export const invalidToken = () => orgs('InvalidInputException', 'The specified "NextToken" is not valid.');
export const unrecognizedPrincipal = () => orgs('InvalidInputException', 'You specified an unrecognized service principal.');
