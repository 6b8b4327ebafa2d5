/**
 * AWS Organizations (AWS JSON 1.1, target prefix `AWSOrganizationsV20161128`, signing name
 * `organizations`; docs/organizations.md). A global service: its calls are recorded in us-east-1 with
 * eventSource organizations.amazonaws.com
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html).
 */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export const organizations: ServiceDef = {
  name: 'organizations',
  eventSource: 'organizations.amazonaws.com',
  actionPrefix: 'organizations',
  global: true,
  model: loadModel('organizations'),
  operations: handlers,
};
