/** AWS IAM (Query protocol, global: recorded in us-east-1). Actions and resources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';
import { iamValidationMessage } from './validation.ts';

export const iam: ServiceDef = {
  name: 'iam',
  eventSource: 'iam.amazonaws.com',
  actionPrefix: 'iam',
  global: true,
  model: loadModel('iam'),
  operations: handlers,
  validationMessage: iamValidationMessage,
};
